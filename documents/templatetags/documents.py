"""Template helpers for printed documents: ``{% load documents %}``."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from django import template

from ..render import date_line as _date_line
from ..render import date_words as _date_words

register = template.Library()


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


@register.filter
def date_words(value: object) -> str:
    """``{{ d|date_words }}`` → "ngày 02 tháng 02 năm 2021"; empty for anything that is not a date."""
    d = _as_date(value)
    return _date_words(d) if d else ""


@register.simple_tag
def date_line(place: str, value: object) -> str:
    """``{% date_line place d %}`` → "An Giang, ngày 02 tháng 02 năm 2021"."""
    d = _as_date(value)
    return _date_line(place, d) if d else ""


@register.filter
def upper_vi(value: object) -> str:
    """Upper case in NFC. ``str.upper`` handles Vietnamese ("ộ" → "Ộ"); NFC keeps the text searchable."""
    return unicodedata.normalize("NFC", str(value or "").upper())
