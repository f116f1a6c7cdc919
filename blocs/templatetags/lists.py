"""Tags of the portal's lists: a sortable column head that keeps every other filter of the page.

``{% load lists %}`` then ``{% sort_header sorting "name" _("Name") %}`` in a table's head row, where
``sorting`` is the ``blocs.web.Sorting`` the view ordered the list by. The pagination keeps the order and
the filters with Django's ``{% querystring %}`` (``templates/includes/pagination.html``).
"""

from __future__ import annotations

from typing import Any

from django import template

from ..web import Sorting

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context: dict[str, Any], sorting: Sorting, key: str, label: str, css: str = "") -> dict[str, Any]:
    """The ``<th>`` of a sortable column: a link to the list sorted by ``key`` (ascending, or descending
    when it is already sorted ascending by it), on the first page, with every other parameter of the page
    (the search, the filters, the year) kept; the active column shows its arrow and ``aria-sort``."""
    active = sorting.key == key
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if active and not sorting.descending else key
    state = ("descending" if sorting.descending else "ascending") if active else ""
    return {"href": f"?{params.urlencode()}", "label": label, "state": state, "css": css}
