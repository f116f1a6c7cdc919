"""The third-party apps under names the portal's users read: Django's admin lists each app by its
``verbose_name``, and these two apps give theirs in English only (django-axes none at all)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Failed logins")


class TasksConfig(TasksAppConfig):
    # The parent declares a plain str; Django reads verbose_name lazily, translated per request.
    verbose_name = _("Background jobs")  # type: ignore[assignment]
