from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _council_created(sender, instance, created, raw=False, **kwargs):
    """Every new council starts with a copy of the standard award catalogue (its award types and levels)."""
    if created and not raw:  # fixtures (raw) bring their own award types
        # Imported here: apps.py is imported before the app registry is ready, and services imports models.
        from .services import award_catalogue_install

        award_catalogue_install(council=instance)


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        # Imported here, once every app is loaded: these modules import models.
        from blocs import registry
        from blocs.models import Council

        from . import demo, providers, reports, trackers

        post_save.connect(_council_created, sender=Council, dispatch_uid="awards.council_catalogue")
        registry.register_home_provider(providers.home_provider)
        registry.register_unit_page_provider(providers.unit_page_provider)
        registry.register_demo_loader(demo.load_awards_demo)
        # The submissions need the conferences' minutes final: after the meetings demo has recorded them.
        registry.register_demo_loader(demo.load_awards_outcomes, after_conferences=True)
        registry.register_bloc_page_provider(providers.bloc_page_provider)
        registry.register_search_provider(providers.search_provider)
        registry.register_document_subject("award_submission", providers.document_subject)
        # The council's year report (blocs/reports.py) reads its award tables from here.
        registry.register_report_source("awards.registrations", reports.registration_rows)
        registry.register_report_source("awards.by_type", reports.by_type_rows)
        registry.register_report_source("awards.by_state", reports.by_state_rows)
        registry.register_report_source("awards.by_year", reports.by_year_rows)
        registry.register_report_source("awards.lateness", reports.lateness_rows)
        for tracker in trackers.TRACKERS:
            registry.register_deadline_tracker(tracker)
