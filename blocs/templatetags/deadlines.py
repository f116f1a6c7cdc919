"""A deadline as the pages it governs show it: the day, and the days left or how late it is."""

from __future__ import annotations

from django import template
from django.utils import timezone

from blocs.models import Bloc, Deadline

register = template.Library()


@register.inclusion_tag("includes/deadline.html")
def deadline_notice(deadline: Deadline | None, *, with_kind: bool = True) -> dict:
    """``with_kind``: say what is due ("Hạn ký giao ước: …"); off where a column already says it."""
    left = deadline.days_left(timezone.localdate()) if deadline else None
    return {"deadline": deadline, "with_kind": with_kind, "left": left, "late": -left if left is not None else 0}


@register.simple_tag
def deadline_of(bloc: Bloc, year: int, kind: str) -> Deadline | None:
    """The bloc-year's deadline of ``kind`` (the bloc's own, else the council's): one query."""
    return Deadline.objects.effective(bloc, year).get(kind)
