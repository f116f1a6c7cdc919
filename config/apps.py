"""The third-party apps under names the portal's users read: Django's admin lists each app by its
``verbose_name``, and these two apps give theirs in English only (django-axes none at all)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Failed logins")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background jobs")
