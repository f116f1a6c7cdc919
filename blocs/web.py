"""Small helpers every app's views share: the emulation year of a URL, pagination, and putting a service's
ValidationError next to the form fields it names."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404

from .models import FIRST_YEAR, LAST_YEAR


def is_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def year_param(request, default: int) -> int:
    """The ``?year=`` of a page; a missing or bad value falls back to ``default`` rather than failing."""
    try:
        year = int(request.GET.get("year") or default)
    except (TypeError, ValueError):
        return default
    return year if is_year(year) else default


def year_or_404(year: int) -> int:
    """A year taken from the URL path: one outside the portal's range is not a page."""
    if not is_year(year):
        raise Http404
    return year


def paginate(request, queryset) -> Page:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def attach_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, or on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
