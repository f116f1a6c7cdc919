"""Small helpers every app's views share: the emulation year of a URL, integers from a query string,
pagination and the sort order of a list, putting a service's ValidationError next to the form fields it
names, the confirmation an irreversible action asks for, and the responses that carry a file (a PDF, a
workbook, a stored document).

Integers typed into a URL never reach the database unbounded: a 20-digit id in ``?bloc=`` used to stop
SQLite with an OverflowError (a 500) while PostgreSQL answered "out of range". Every query parameter is
read through ``query_int`` (ids, counts) or ``query_year``; the years of URL paths are four digits by
their converter (``blocs.converters``) and then checked against the bloc's years by ``bloc_year_or_404``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from . import access
from .excel import XLSX_CONTENT_TYPE
from .integrity import violated_unique
from .models import FIRST_YEAR, LAST_YEAR, Bloc

ModelT = TypeVar("ModelT", bound=Model)
ResultT = TypeVar("ResultT")
# A rule of blocs.access on a bloc-year: ``may(user, bloc, year)``.
YearRule = Callable[[Any, Bloc, int], bool]

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The largest id any of the portal's databases stores (a signed 64-bit integer, as BigAutoField).
ID_MAX = 2**63 - 1
# An optional minus sign and at most 19 ASCII digits: enough for every id, short enough that no string
# of digits is converted at length (int() also accepts "١٢" and " 1_000 ", which are not ids).
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def is_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def int_or_none(value, *, minimum: int, maximum: int) -> int | None:
    """``value`` (a string of a form or query string) as an integer from ``minimum`` to ``maximum``, or None
    for anything else: empty, not a plain integer ("abc", "1e3", "2.0"), or out of range."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def query_int(request, name: str, *, minimum: int = 1, maximum: int = ID_MAX, default: int | None = None) -> int | None:
    """The ``?name=`` of a page as a bounded integer (by default an id: 1 .. 2^63-1); ``default`` when it is
    missing or not such an integer. A bad value is ignored rather than failing the page."""
    number = int_or_none(request.GET.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def query_year(request, default: int | None, name: str = "year") -> int | None:
    """The ``?year=`` of a page (1945 .. 2100); ``default`` when it is missing or not such a year."""
    return query_int(request, name, minimum=FIRST_YEAR, maximum=LAST_YEAR, default=default)


def year_param(request, default: int) -> int:
    """The ``?year=`` of a page; a missing or bad value falls back to ``default`` rather than failing."""
    return query_year(request, default)


def year_or_404(year: int) -> int:
    """A year outside the portal's range (1945 .. 2100) is not a page."""
    if not is_year(year):
        raise Http404
    return year


def bloc_year_span(bloc: Bloc) -> tuple[int, int]:
    """The years a bloc has pages for: from its first membership year to the later of its last recorded
    membership year and the council's current year + 1.

    Why these bounds: before the first member joined there is nobody whose year it could be; the year
    after the current one is open because its seats are elected, and its pledge drafted, before it begins
    (docs/domain.md, "One emulation year of a bloc"). An open membership ends nowhere, so the council's
    current year + 1 bounds it; a bloc whose members all left keeps its past years. A bloc without members
    has the current year and the next, so an officer can prepare it. One aggregate query, kept on the bloc
    for the rest of the request.
    """
    cached = getattr(bloc, "_year_span", None)
    if cached is not None:
        return cached
    current = bloc.council.current_year
    span = bloc.memberships.aggregate(first=Min("first_year"), last=Max("last_year"), latest=Max("first_year"))
    first = span["first"] if span["first"] is not None else current
    last = max(current + 1, span["last"] or first, span["latest"] or first)
    bloc._year_span = (max(first, FIRST_YEAR), min(last, LAST_YEAR))
    return bloc._year_span


def bloc_years_around(bloc: Bloc, year: int, *, before: int, after: int) -> range:
    """The bloc's years from ``year - before`` to ``year + after``, for a page's year links (no link to a
    year that is not a page)."""
    first, last = bloc_year_span(bloc)
    return range(max(first, year - before), min(last, year + after) + 1)


def bloc_year_or_404(bloc: Bloc, year: int) -> int:
    """The year of a URL with a bloc: 404 unless it is one of the bloc's years (``bloc_year_span``).

    Every view with ``<int:pk>/…/<year:year>`` in its path calls it (``tests/security/test_years.py`` walks
    the URLconf so that a new pattern cannot forget), so "năm 0" is never printed, issued or stored.
    """
    first, last = bloc_year_span(bloc)
    if not first <= year <= last:
        raise Http404
    return year


def bloc_record_or_404(queryset: QuerySet[ModelT], *, user: Any, pk: int, may: YearRule | None = None) -> ModelT:
    """The row ``pk`` of ``queryset`` (a model with ``bloc`` and ``year``, e.g. a meeting or a pledge).

    404 to anyone who may not see its bloc at all, so that its existence is not disclosed; then 403 when
    ``may`` (a rule of blocs.access such as ``can_read_bloc_year``) refuses the user that bloc-year.
    Give ``queryset`` a ``select_related("bloc__council")``: the rules read the council.
    """
    record = get_object_or_404(queryset, pk=pk)
    bloc = record.bloc  # type: ignore[attr-defined]
    if not access.can_view_bloc(user, bloc):
        raise Http404
    if may is not None and not may(user, bloc, record.year):  # type: ignore[attr-defined]
        raise PermissionDenied
    return record


def form_attempt(form, call: Callable[[], ResultT]) -> tuple[bool, ResultT | None]:
    """Run a service for a valid form: ``(True, what it returned)``, or ``(False, None)`` with its
    ValidationError put on the form (``attach_errors``) for the page to show again."""
    try:
        return True, call()
    except ValidationError as error:
        attach_errors(form, error)
        return False, None


def errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal on a page without a form: each message on top of the next page."""
    for message in error.messages:
        messages.error(request, message)


def document_issue_report(
    request: HttpRequest, issue: Callable[[], Any], *, unavailable: type[Exception], failed: str, issued: str
) -> None:
    """Issue a final document again (after its PDF failed) and say how it went on the next page.

    ``issue()`` returns the issued document; ``unavailable`` is the error its renderer raises when no PDF
    can be made (``failed`` shows it as ``%(error)s``); a ValidationError shows its own messages; success
    shows ``issued`` with the document's ``%(number)s``. The finalisation itself is kept in every case.
    """
    try:
        document = issue()
    except unavailable as error:
        messages.error(request, failed % {"error": error})
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, issued % {"number": document.number_text})


class ConfirmForm(forms.Form):
    """The one field of a confirmation page: ``confirmed`` posted back from that page.

    An irreversible action (a deletion, a number taken, a merger) changes something only on a POST that
    carries it; a GET of the action's URL, or a POST without it (a stale button, a replayed request, a
    form of another page), gets the confirmation page instead. The check is the server's: no JavaScript.
    """

    confirmed = forms.BooleanField(required=True, initial=True, widget=forms.HiddenInput)


def confirmed(request: HttpRequest) -> bool:
    """The request is the POST of a confirmation page (``ConfirmForm``): the action may go ahead."""
    return request.method == "POST" and ConfirmForm(request.POST).is_valid()


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page says: its ``title`` (the question), each ``consequences`` line (what will
    happen, concretely: the number that will be taken, the meeting and its date), where "Back" leads,
    and ``fields``: a form's values posted again with the confirmation (the merger's units and year), as
    (name, value) pairs. Its buttons are always "Xác nhận" and "Quay lại"."""

    title: str
    consequences: Sequence[str]
    back_url: str
    fields: Sequence[tuple[str, str]] = ()


def confirm_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The confirmation page of an irreversible action (``templates/confirm.html``), status 200. It posts
    to the URL it was shown at; shown again after a POST without the confirmation, it says that nothing
    was changed. The view has already checked access with the action's own rule before calling this.

    The pattern, in the action's view after its guard::

        if not confirmed(request):
            return confirm_page(request, Confirmation(title=…, consequences=[…], back_url=…))
        services.thing_delete(…)
    """
    return render(
        request,
        "confirm.html",
        {
            "confirmation": confirmation,
            "form": ConfirmForm(),
            "asked_again": request.method == "POST",
        },
    )


def paginate(request, queryset) -> Page:
    # Paginator.get_page already turns a bad or huge ?page= into the first or last page, without a query.
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class Sorting:
    """The order a list is shown in: the ``?sort=`` key chosen (``name``, or ``-name`` for descending)
    among the list's own keys, and the ``order_by`` fields it stands for, with the list's tie-breaker last.

    The page's sortable column heads (``{% sort_header %}``, ``blocs.templatetags.lists``) read it to show
    the arrow and ``aria-sort``; its filter forms send ``param`` back, so a search keeps the order.
    """

    key: str
    descending: bool
    order_by: tuple[str, ...]
    default: str

    @property
    def param(self) -> str:
        """The value of ``?sort=`` that gives this order ("name", "-date")."""
        return f"-{self.key}" if self.descending else self.key


def _reversed(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def sorting(
    request, keys: Mapping[str, Sequence[str]], *, default: str, tie_breaker: str = "pk", first: Sequence[str] = ()
) -> Sorting:
    """The order of a list from its ``?sort=``: one of ``keys`` (a whitelist, key -> the fields that key
    sorts by, ascending), ``-key`` for the same reversed; anything else (a field name of the model, a
    lookup, an empty value) is ignored and ``default`` (a key, or ``-key``) is used. A user never names a
    column: only the list's keys reach ``order_by``.

    ``tie_breaker`` (the primary key) comes last, in the same direction, so that rows with equal values
    keep one order from page to page and the descending order is the ascending one reversed. ``first``
    are fields that always lead whatever the key (a list grouped by award type keeps its groups).
    """
    chosen = request.GET.get("sort", "")
    if chosen.removeprefix("-") not in keys:
        chosen = default
    descending = chosen.startswith("-")
    key = chosen.removeprefix("-")
    fields = [_reversed(field) if descending else field for field in keys[key]]
    tie = _reversed(tie_breaker) if descending else tie_breaker
    return Sorting(key=key, descending=descending, order_by=(*first, *fields, tie), default=default)


def attach_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, or on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def form_save(form):
    """``form.save()`` of a valid model form; None, with the error on the form, if the database refuses the
    save for one of the model's unique constraints.

    The form's own checks (``clean_code``, ``validate_unique``) ran in ``is_valid()``, but a request saving
    the same at the same moment (a double click, two officers) passes them too, and the database refuses
    the second save — a 500 until now. The save runs in a savepoint and the form is then checked again:
    it now sees the row the other request saved and puts its own Vietnamese message next to the field. A
    clash the form's checks cannot see gets a message on top of the form. Nothing is half-saved.
    """
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError as error:
        if violated_unique(form._meta.model, error) is None:
            raise
        form.full_clean()
        if form.is_valid():
            form.add_error(
                None, _("Another record with the same values was saved at the same moment; check and save again.")
            )
        return None


def file_response(content: bytes, *, content_type: str, filename: str, attachment: bool = False) -> HttpResponse:
    """A file made for this request, shown in the browser or (``attachment``) downloaded as ``filename``.

    The header is Django's: a name with letters outside ASCII is sent encoded (RFC 6266), never broken.
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=attachment, filename=filename)
    return response


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """A PDF made now (a preview, a draft): shown in the browser."""
    return file_response(pdf, content_type=PDF_CONTENT_TYPE, filename=filename)


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    """A workbook made now (an export, an import template): downloaded."""
    return file_response(content, content_type=XLSX_CONTENT_TYPE, filename=filename, attachment=True)


def stored_file_response(
    file: FieldFile, *, filename: str, content_type: str = PDF_CONTENT_TYPE, as_attachment: bool = False
) -> FileResponse:
    """A stored file (an issued document, a scan), shown in the browser as ``filename`` (or saved, for
    ``as_attachment``); 404 when the storage has lost it (the record stays, the page says nothing is there)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, content_type=content_type, filename=filename, as_attachment=as_attachment)
