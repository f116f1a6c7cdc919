"""Password validators of the portal (AUTH_PASSWORD_VALIDATORS): Django's own, where needed with a message
from the portal's catalogue."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length (the settings ask 12 characters) with a Vietnamese message: Django 5.2 reworded
    its "too short" message and its Vietnamese catalogue still translates only the old wording, so the page
    would say it in English (mật khẩu quá ngắn)."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
