from .access import is_officer


def nav(request):
    """What the navigation bar needs to know about the user (the server still checks every action)."""
    return {"nav": {"is_officer": is_officer(getattr(request, "user", None))}}
