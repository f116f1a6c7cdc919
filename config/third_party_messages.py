"""Messages of third-party packages that their own Vietnamese catalogues lack (or that Django 5.2 added after
its catalogue was translated). Listing them here puts them into the portal's catalogue
(``make messages``), which Django consults before any package's: the admin and the login throttle then
speak Vietnamese like the rest of the portal. Never imported; makemessages reads it."""

from django.utils.translation import gettext_noop as _

MESSAGES = [
    # django.contrib.admin (5.2 templates)
    _("Skip to main content"),
    _("Toggle theme (current theme: auto)"),
    _("Toggle theme (current theme: light)"),
    _("Toggle theme (current theme: dark)"),
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    # django-axes: its models
    _("access failure"),
    _("access failures"),
    _("access attempt"),
    _("access attempts"),
    _("Access Attempt"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access log"),
    _("access logs"),
    # django-tasks-db: its model
    _("Task Result"),
    _("Task Results"),
]
