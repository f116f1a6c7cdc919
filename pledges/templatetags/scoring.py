"""Template helpers of the scoring pages: ``{% load scoring %}``."""

from decimal import Decimal

from django import template

from pledges.scoring.services import points_text

register = template.Library()


@register.filter
def points(value: Decimal | int | str | None) -> str:
    """A score as the pages print it: 2,5 · −3 · 100 (nothing for none: unknown is not zero; a missing
    line's attribute comes as "" from the template engine)."""
    if value is None or value == "":
        return ""
    return points_text(Decimal(value))


@register.simple_tag
def field(form, name: str, suffix: object):
    """The bound field ``<name>_<suffix>`` of a form with per-line fields (``points_12``)."""
    return form[f"{name}_{suffix}"]
