"""Template helpers for printed documents: ``{% load documents %}``."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

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


@register.simple_tag
def issuer_lines(header: Any) -> list[Any]:
    """``{% issuer_lines content.header as printed %}``: the issuing-body block's printed lines
    (``documents.header.header_layout``) of a ``documents.content.Header``."""
    from ..header import header_layout

    return header_layout(header)


@register.filter
def column_align(columns: list[Any], index: int) -> str:
    """``{{ block.columns|column_align:forloop.counter0 }}``: a table column's alignment."""
    return columns[index].align if 0 <= index < len(columns) else "left"


@register.filter
def recipients_punctuated(lines: list[Any]) -> list[str]:
    """ "Nơi nhận" items ending in ";" and the last in "." (documents.content.recipients_punctuated)."""
    from ..content import recipients_punctuated as punctuated

    return punctuated([str(line) for line in lines or []])


@register.filter
def pairs(items: list[Any]) -> list[list[Any]]:
    """Two per row: ``[a, b, c] → [[a, b], [c]]`` (signature grids)."""
    items = list(items or [])
    return [items[i : i + 2] for i in range(0, len(items), 2)]
