from functools import cache

from .access import can_manage_councils, is_officer
from .models import Notification


def nav(request):
    """What the navigation bar needs to know about the user (the server still checks every action).

    ``unread``: the bell's count, read with the request's user (``blocs.backends``), else once and only by
    a page that shows the bar (a callable: templates call it)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)

    @cache
    def unread() -> int:
        if not signed_in:
            return 0
        known = getattr(user, "unread_notifications", None)
        return known if known is not None else Notification.objects.filter(user=user).unread().count()

    return {
        "nav": {
            "is_officer": is_officer(user),
            "manages_councils": can_manage_councils(user),
            "unread": unread,
        }
    }
