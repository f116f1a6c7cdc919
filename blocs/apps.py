from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Blocs and units")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models, which these modules import.
        from django.urls import register_converter

        from . import registry, todo
        from .converters import YearConverter
        from .printing import membership_list_subject
        from .reporting import blocs_seats_rows

        # Before any urls.py is imported (the URLconf loads lazily, after every app is ready).
        register_converter(YearConverter, "year")
        registry.register_document_subject("membership_list", membership_list_subject)
        registry.register_report_source("blocs.seats", blocs_seats_rows)
        registry.register_calendar_provider(todo.deadline_calendar_provider)
