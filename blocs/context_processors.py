from functools import cache

from .access import can_manage_councils, is_officer
from .models import Notification


def nav(request):
    """What the navigation bar needs to know about the user (the server still checks every action).

    ``unread``: the bell's count, read once and only by a page that shows the bar (a callable: templates
    call it), not by a download or a redirect."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)

    @cache
    def unread() -> int:
        return Notification.objects.filter(user=user).unread().count() if signed_in else 0

    return {
        "nav": {
            "is_officer": is_officer(user),
            "manages_councils": can_manage_councils(user),
            "unread": unread,
        }
    }
