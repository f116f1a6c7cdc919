"""The authentication backend: Django's, reading the signed-in user's unit and council with the user.

Every page's menu names the user's unit (or council) and shows the bell's unread count, and the access
rules read ``user.unit`` and ``user.council_id``: one join and a subquery on the request's user query
instead of two more queries on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


class UserWithUnitBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from .models import Notification  # the models import this module's app

        model = get_user_model()
        unread = (
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n")
        )
        try:
            user = (
                model._default_manager.select_related("unit", "council")
                .annotate(unread_notifications=Coalesce(Subquery(unread), 0))
                .get(pk=user_id)
            )
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
