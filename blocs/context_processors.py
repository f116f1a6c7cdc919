from .access import can_manage_councils, is_officer


def nav(request):
    """What the navigation bar needs to know about the user (the server still checks every action)."""
    user = getattr(request, "user", None)
    return {"nav": {"is_officer": is_officer(user), "manages_councils": can_manage_councils(user)}}
