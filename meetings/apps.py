from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The lower apps never import meetings (docs/architecture.md): meetings plugs into their registries.
        from awards.registry import register_conference_link_provider, register_dossier_check
        from blocs import registry

        from . import demo, providers, reports, trackers

        registry.register_home_provider(providers.home_provider)
        registry.register_bloc_page_provider(providers.bloc_page_provider)
        registry.register_search_provider(providers.search_provider)
        registry.register_calendar_provider(providers.calendar_provider)
        registry.register_year_end_closed_provider(providers.year_end_closed)
        registry.register_demo_loader(demo.load_meetings_demo)
        registry.register_document_subject("minutes", providers.document_subject)
        registry.register_report_source("meetings.year_end", reports.year_end_rows)
        register_dossier_check(providers.minutes_final_check)
        register_conference_link_provider(providers.conference_links)
        for tracker in trackers.TRACKERS:
            registry.register_deadline_tracker(tracker)
