"""The council's year report (báo cáo năm của hội đồng): the page, its Excel workbook and its printed
document, all three written from the definitions of ``blocs/reports.py`` by ``blocs.reporting``.

For the council's officers and superusers (``access.council_for_reading``: 404 for everyone else); a year
outside the council's years (``reporting.council_year_span``) is not a page.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from documents.docx import content_docx
from documents.render import content_pdf

from . import access
from .models import Council
from .reporting import (
    BuiltReport,
    council_year_span,
    report_build,
    report_content,
    report_document_build,
    report_file_name,
    report_xlsx,
)
from .reports import COUNCIL_YEAR
from .web import DOCX_CONTENT_TYPE, file_response, pdf_response, xlsx_response

YEAR_LINKS = 2  # the page links to this many years either side of its own


def _council_year(request: HttpRequest, pk: int, year: int) -> tuple[Council, tuple[int, int]]:
    council = access.council_for_reading(request.user, pk)
    first, last = council_year_span(council)
    if not first <= year <= last:
        raise Http404
    return council, (first, last)


@require_safe
def council_year(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The report's tables, each with its chart beside it, and links to the files and the nearby years."""
    council, (first, last) = _council_year(request, pk, year)
    report = report_build(COUNCIL_YEAR, council=council, year=year)
    years = range(max(first, year - YEAR_LINKS), min(last, year + YEAR_LINKS) + 1)
    return render(
        request, "blocs/council_year.html", {"council": council, "year": year, "report": report, "years": years}
    )


@require_safe
def council_year_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    council, _span = _council_year(request, pk, year)
    today = timezone.localdate()

    def write(report: BuiltReport) -> tuple[bytes, str]:
        return report_xlsx(report), report_file_name(report, ext="xlsx", today=today)

    data, filename = report_document_build(COUNCIL_YEAR, council=council, year=year, write=write)
    return xlsx_response(data, filename=filename)


def _printed(request: HttpRequest, pk: int, year: int, ext: str) -> tuple[bytes, str]:
    council, _span = _council_year(request, pk, year)
    today = timezone.localdate()
    render_file = content_pdf if ext == "pdf" else content_docx

    def write(report: BuiltReport) -> tuple[bytes, str]:
        return render_file(report_content(report, today=today)), report_file_name(report, ext=ext, today=today)

    result: tuple[bytes, str] = report_document_build(COUNCIL_YEAR, council=council, year=year, write=write)
    return result


@require_safe
@transaction.non_atomic_requests  # a render can take a second: no transaction held open meanwhile
def council_year_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    data, filename = _printed(request, pk, year, "pdf")
    return pdf_response(data, filename=filename)


@require_safe
@transaction.non_atomic_requests
def council_year_docx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    data, filename = _printed(request, pk, year, "docx")
    return file_response(data, content_type=DOCX_CONTENT_TYPE, filename=filename, attachment=True)
