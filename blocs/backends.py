"""The authentication backend: Django's, reading the signed-in user's unit and council with the user.

Every page's menu names the user's unit (or council), and the access rules read ``user.unit`` and
``user.council_id``: one join on the request's user query instead of one more query on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithUnitBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("unit", "council").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
