"""The scoring files: the table as Excel (download, and import with a preview), the stored ranking as Excel,
PDF and Word. Thin views: the guard (``pledges.scoring.access``), then ``spreadsheets``, ``imports`` or
``printing``.

The ranking's files need a stored ranking (``selectors.ranking_stored``): 404 without one. The Excel file
is given for a reopened ranking too, saying on top that it is no longer final; the PDF and the Word file
print "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA", an official result, only while the ranking is final: a
reopened one answers 404, as if nothing were there to print, until it is finalised again.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from blocs.access import bloc_for_viewing
from blocs.excel import XLSX_CONTENT_TYPE
from blocs.forms import PortalForm
from blocs.models import Bloc, User
from blocs.web import (
    DOCX_CONTENT_TYPE,
    YearRule,
    bloc_record_or_404,
    bloc_year_or_404,
    file_response,
    pdf_response,
    xlsx_response,
)

from . import access, printing, spreadsheets
from .imports import TableImportInvalid, TableImportResult, scoring_table_import
from .models import Ranking, ScoringTable
from .selectors import ranking_stored
from .spreadsheets import TableIssue, TableLine, TableSheet

# The session keeps one pending import: the rows of the last valid upload and the table they replace, with
# a token the confirm form sends back, so a stale or doubled confirmation cannot write twice.
SESSION_KEY = "scoring.table_import"


class TableImportForm(PortalForm):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy("The first sheet is read; its first row holds the column titles of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
    )


def _acting(request: HttpRequest) -> User:
    """The user a change is made by: the guards let only signed-in users of the council this far."""
    assert isinstance(request.user, User)
    return request.user


def _table(request: HttpRequest, pk: int, may: YearRule) -> ScoringTable:
    return bloc_record_or_404(ScoringTable.objects.select_related("bloc__council"), user=request.user, pk=pk, may=may)


@require_safe
def table_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring table as Excel, in the format its import reads, for whoever reads the bloc-year."""
    table = _table(request, pk, access.can_read_scoring)
    return xlsx_response(spreadsheets.table_xlsx(table), filename=spreadsheets.table_xlsx_filename(table))


def _import_page(
    request: HttpRequest,
    table: ScoringTable,
    *,
    form: TableImportForm | None = None,
    sheet: TableSheet | None = None,
    issues: list[TableIssue] | None = None,
    result: TableImportResult | None = None,
    token: str = "",
) -> HttpResponse:
    """The import page: the upload form, and after an upload either its problems or the preview (the
    groups with their criteria as the import will make them) with the confirm button."""
    lines = sheet.lines if sheet is not None and result is not None else []
    context = {
        "table": table,
        "bloc": table.bloc,
        "year": table.year,
        "form": form or TableImportForm(),
        "issues": issues,
        "lines": lines,
        "result": result,
        "token": token,
        "ignored": sheet.ignored_headers if sheet is not None else [],
        "replaceable": table.state == ScoringTable.State.PREPARING,
        "back_url": reverse("scoring:scoring_detail", args=[table.bloc_id, table.year]),
    }
    return render(request, "scoring/table_import.html", context)


def _issues_of(error: ValidationError) -> list[TableIssue]:
    if isinstance(error, TableImportInvalid):
        return error.issues
    return [TableIssue(message) for message in error.messages]


@require_http_methods(["GET", "HEAD", "POST"])
def table_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the table's sheet → its problems, or a preview of the groups and criteria it will make →
    confirm replaces the table's lines with them, all or nothing (``imports.scoring_table_import``). The
    preview runs the import itself and rolls it back, so it shows every row the import would refuse."""
    table = _table(request, pk, access.can_edit_table)
    if request.method == "POST" and "token" in request.POST:
        return _table_import_confirm(request, table)
    form = TableImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, table, form=form if request.method == "POST" else None)
    request.session.pop(SESSION_KEY, None)
    sheet = spreadsheets.table_sheet_read(form.cleaned_data["file"])
    if not sheet.is_valid:
        return _import_page(request, table, sheet=sheet, issues=sheet.issues)
    try:
        result = scoring_table_import(table=table, rows=sheet.lines, by=_acting(request), confirmed=False)
    except ValidationError as error:
        return _import_page(request, table, sheet=sheet, issues=_issues_of(error))
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "table": table.pk,
        "rows": [line.session_data() for line in sheet.lines],
    }
    return _import_page(request, table, sheet=sheet, result=result, token=token)


def _table_import_confirm(request: HttpRequest, table: ScoringTable) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    if (
        not pending
        or not secrets.compare_digest(str(pending["token"]), request.POST["token"])
        or pending["table"] != table.pk
    ):
        messages.error(request, _("This import is no longer waiting for confirmation. Upload the file again."))
        return redirect("scoring:table_import", pk=table.pk)
    rows = [TableLine.from_session(row) for row in pending["rows"]]
    try:
        result = scoring_table_import(table=table, rows=rows, by=_acting(request), confirmed=True)
    except ValidationError as error:
        # The table changed since the preview (scoring opened, lines were added): nothing was saved.
        messages.error(
            request, _("The data changed since the preview; nothing was saved. Fix the sheet and upload it again.")
        )
        return _import_page(request, table, issues=_issues_of(error))
    messages.success(
        request,
        _("The scoring table was imported: %(groups)s groups and %(criteria)s criteria.")
        % {"groups": result.groups, "criteria": result.criteria},
    )
    return redirect("scoring:scoring_detail", pk=table.bloc_id, year=table.year)


# The ranking ------------------------------------------------------------------------------------------


def _ranking(request: HttpRequest, pk: int, year: int, *, final_only: bool) -> tuple[Bloc, Ranking]:
    """The bloc-year's stored ranking for a reader of the year: 404 for whoever may not see the bloc, for a
    year that is not the bloc's and when nothing is stored (or, ``final_only``, the ranking was reopened);
    403 for a unit of the bloc that may not read that year."""
    bloc = bloc_for_viewing(request.user, pk)
    bloc_year_or_404(bloc, year)
    if not access.can_read_scoring(request.user, bloc, year):
        raise PermissionDenied
    ranking = ranking_stored(bloc, year)
    if ranking is None or (final_only and not ranking.is_final):
        raise Http404
    ranking.bloc = bloc  # the bloc already read, with its council
    return bloc, ranking


@require_safe
def ranking_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    _bloc, ranking = _ranking(request, pk, year, final_only=False)
    return xlsx_response(
        spreadsheets.ranking_xlsx(ranking=ranking), filename=spreadsheets.ranking_xlsx_filename(ranking)
    )


@require_safe
@transaction.non_atomic_requests  # a render can take a second: no transaction held open meanwhile
def ranking_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    bloc, ranking = _ranking(request, pk, year, final_only=True)
    pdf = printing.ranking_pdf(ranking=ranking, bloc=bloc)
    return pdf_response(pdf, filename=printing.ranking_file_name(ranking=ranking, bloc=bloc, ext="pdf"))


@require_safe
@transaction.non_atomic_requests
def ranking_docx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    bloc, ranking = _ranking(request, pk, year, final_only=True)
    data = printing.ranking_docx(ranking=ranking, bloc=bloc)
    return file_response(
        data,
        content_type=DOCX_CONTENT_TYPE,
        filename=printing.ranking_file_name(ranking=ranking, bloc=bloc, ext="docx"),
        attachment=True,
    )
