from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    """Giao ước thi đua: the bloc's annual pledge, its signatures and the printed pledge."""

    name = "pledges"
    verbose_name = _("Pledges")

    def ready(self):
        # The base app shows what pledges add through its registry; it never imports this app.
        from blocs import registry

        from . import demo, providers, reports, trackers
        from .scoring import panels as scoring_panels
        from .scoring import rankings

        registry.register_home_provider(providers.home_provider)
        registry.register_unit_page_provider(providers.unit_page_provider)
        registry.register_bloc_page_provider(providers.bloc_page_provider)
        registry.register_bloc_page_provider(scoring_panels.bloc_page_provider)
        registry.register_demo_loader(demo.load_pledges_demo)
        registry.register_document_subject("pledge", providers.document_subject)
        registry.register_pledge_signing_opened_provider(providers.signing_opened)
        registry.register_home_provider(providers.scoring_home_provider)
        registry.register_unit_page_provider(providers.ranking_unit_page_provider)
        # Award rules and award forms read the stored rankings through the base app (awards never imports
        # pledges: docs/architecture.md).
        registry.register_ranking_provider(rankings.bloc_year_rankings)
        registry.register_report_source("pledges.signing", reports.signing_rows)
        for tracker in trackers.TRACKERS:
            registry.register_deadline_tracker(tracker)
