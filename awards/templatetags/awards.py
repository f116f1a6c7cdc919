"""Template helpers of the awards pages: ``{% load awards %}``."""

from django import template

register = template.Library()

_STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "approved": "text-bg-info",
    "rejected": "text-bg-danger",
    "decided": "text-bg-success",
}


@register.filter
def status_class(status: str) -> str:
    """The Bootstrap badge class of a proposal status."""
    return _STATUS_CLASSES.get(status, "text-bg-light")
