"""The reports (báo cáo): one builder from the definitions of ``blocs/reports.py`` to tables of rows, and
the three outputs written from what it builds — the page (``blocs.report_views``), the Excel workbook
(``report_xlsx``) and the printed document (``report_content``, a ``documents.content.DocumentContent``
rendered as PDF and Word like every printed document).

The numbers come from the sources each app registers (``blocs.registry.register_report_source``); this
module registers the base app's own, the blocs of the year and their seats. Each source is asked once per
report however many tables use it, and costs a fixed number of queries, so a report costs the same whatever
the council's size.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.db.models import Count, Max, Min, Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from documents.content import ADMINISTRATIVE, Block, Column, DocumentContent, Header
from documents.render import DOCUMENT_LANGUAGE, document_file_name, file_name_safe

from . import registry
from .charts import BarChart, bar_chart
from .excel import add_sheet, fit_columns, sheet_append, workbook_bytes
from .fields import FIRST_YEAR, LAST_YEAR
from .models import Bloc, Council, Membership, Seat
from .registry import ReportRows
from .reports import COUNT, DATE, FLAG, PERCENT, TEXT, ReportColumn, ReportDefinition, ReportTable

REPORT_TYPE = "BC"  # báo cáo: the file name's type part (the report is not numbered)
EXCEL_SHEET_CHARS = 31  # Excel's limit on a sheet's name
TT_MM = 10  # the printed tables' first column, the row's number (TT)
_ALIGN = {COUNT: "right", PERCENT: "right", FLAG: "center", DATE: "center"}  # a printed column's alignment


@dataclass(frozen=True)
class Cell:
    """A value of a table as each output needs it: ``value`` for Excel, ``text`` for the page and the print
    ("" when unknown: the page shows a dash, the print nothing)."""

    value: Any
    text: str
    numeric: bool = False


@dataclass
class BuiltTable:
    """A table of a report as built: its definition, its rows and total row as cells, the source's note,
    whether a source answered at all, and its chart (None without one or without bars)."""

    definition: ReportTable
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None
    note: str = ""
    available: bool = True
    chart: BarChart | None = None

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def html_id(self) -> str:
        return f"report-{self.definition.key}"

    @property
    def title(self) -> str:
        return str(self.definition.title)

    @property
    def columns(self) -> tuple[ReportColumn, ...]:
        return self.definition.columns


@dataclass
class BuiltReport:
    definition: ReportDefinition
    council: Council
    year: int
    tables: list[BuiltTable]

    @property
    def title(self) -> str:
        return str(self.definition.title) % {"year": self.year}

    def table(self, key: str) -> BuiltTable:
        return next(table for table in self.tables if table.key == key)


def cell_text(column: ReportColumn, value: Any) -> str:
    """A value as the page and the print write it, in the active language."""
    if value is None or value == "":
        return ""
    if column.kind == DATE and isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if column.kind == PERCENT:
        return f"{value}%"
    if column.kind == FLAG:
        return _("Yes") if value else _("No")
    return str(value)


def _cells(table: ReportTable, row: dict[str, Any]) -> list[Cell]:
    return [Cell(row.get(c.measure), cell_text(c, row.get(c.measure)), c.numeric) for c in table.columns]


def _total(table: ReportTable, rows: list[dict[str, Any]]) -> list[Cell]:
    """The total row: "Tổng cộng" in the first column, the sum of each column that adds up (a flag counts
    its yeses), nothing in the others."""
    cells = []
    for index, column in enumerate(table.columns):
        if index == 0:
            cells.append(Cell(_("Total"), _("Total")))
        elif column.adds_up:
            value = sum(
                int(bool(row.get(column.measure))) if column.kind == FLAG else int(row.get(column.measure) or 0)
                for row in rows
            )
            cells.append(Cell(value, str(value), column.numeric))
        else:
            cells.append(Cell(None, ""))
    return cells


def _chart(table: ReportTable, rows: list[dict[str, Any]], html_id: str) -> BarChart | None:
    spec = table.chart
    if spec is None or not rows:
        return None
    value_column = next(c for c in table.columns if c.measure == spec.value)
    items = [
        (
            str(row.get(spec.label) or ""),
            float(row.get(spec.value) or 0),
            cell_text(value_column, row.get(spec.value)) or "0",
        )
        for row in rows
    ]
    return bar_chart(key=f"{html_id}-chart", title=str(spec.title), items=items, maximum=spec.maximum, table_id=html_id)


def report_build(definition: ReportDefinition, *, council: Council, year: int) -> BuiltReport:
    """Every table of ``definition`` for ``council`` and ``year``, from the registered sources (each asked
    once), in the active language."""
    answers: dict[str, ReportRows | None] = {}
    tables = []
    for table in definition.tables:
        if table.source not in answers:
            source = registry.report_sources.get(table.source)
            answers[table.source] = source(council, year) if source is not None else None
        answer = answers[table.source]
        built = BuiltTable(definition=table)
        if answer is None:
            built.available = False
        else:
            built.rows = [_cells(table, row) for row in answer.rows]
            built.note = answer.note
            if table.totals and answer.rows:
                built.total = _total(table, answer.rows)
            built.chart = _chart(table, answer.rows, built.html_id)
        tables.append(built)
    return BuiltReport(definition=definition, council=council, year=year, tables=tables)


# The years of a council's reports -----------------------------------------------------------------------


def council_year_span(council: Council) -> tuple[int, int]:
    """The years a council's report exists for: from the first membership year of any of its blocs to the
    later of the last one and the current year + 1 (the blocs' own years, ``blocs.web.bloc_year_span``, put
    together). A council without members has its current year and the next. One query."""
    current = council.current_year
    span = Membership.objects.filter(bloc__council=council).aggregate(
        first=Min("first_year"), last=Max("last_year"), latest=Max("first_year")
    )
    first = span["first"] if span["first"] is not None else current
    last = max(current + 1, span["last"] or first, span["latest"] or first)
    return max(first, FIRST_YEAR), min(last, LAST_YEAR)


# The base app's source: the blocs of the year and their seats --------------------------------------------


def report_blocs(council: Council, year: int) -> list[Bloc]:
    """The council's blocs that had members in ``year`` (an inactive bloc keeps the years it had), in the
    order of the report's rows, each with ``member_count``: the rows of every per-bloc table. One query,
    kept on the council object for the rest of the report (every per-bloc source asks it)."""
    known: dict[int, list[Bloc]] = getattr(council, "_report_blocs", {})
    if year not in known:
        covering = Q(memberships__first_year__lte=year) & (
            Q(memberships__last_year__isnull=True) | Q(memberships__last_year__gte=year)
        )
        known[year] = list(
            Bloc.objects.filter(council=council)
            .annotate(member_count=Count("memberships", filter=covering))
            .filter(member_count__gt=0)
            .order_by("kind", "sort_name", "pk")
        )
        council._report_blocs = known  # type: ignore[attr-defined]  # a per-request cache on the council object
    return known[year]


def blocs_seats_rows(council: Council, year: int) -> ReportRows:
    """Each bloc of the year: its member units, its chair (the unit in seat rank 0 of the year) and its
    vice-chairs in rank order. One query, and the year's blocs (``report_blocs``)."""
    blocs = report_blocs(council, year)
    seats: dict[int, list[Seat]] = {}
    for seat in Seat.objects.filter(bloc__in=blocs, year=year).select_related("unit").order_by("bloc_id", "rank"):
        seats.setdefault(seat.bloc_id, []).append(seat)
    rows = []
    for bloc in blocs:
        held = seats.get(bloc.pk, [])
        rows.append(
            {
                "bloc": bloc.name,
                "members": bloc.member_count,  # type: ignore[attr-defined]  # annotated by report_blocs
                "chair": next((seat.unit.name for seat in held if seat.rank == 0), None),
                "vices": "; ".join(seat.unit.name for seat in held if seat.rank > 0) or None,
            }
        )
    return ReportRows(rows=rows)


# The outputs ------------------------------------------------------------------------------------------------


def report_file_name(report: BuiltReport, *, ext: str, today: datetime.date) -> str:
    """ "BC-2021-HDTDKT-An-Giang-20220110.pdf": the report, its year, the council's place, the day."""
    return document_file_name(
        type_code=f"{REPORT_TYPE}-{report.year}",
        number_text=None,
        issuer_code=file_name_safe(report.council.place_name or report.council.name),
        on=today,
        ext=ext,
    )


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:EXCEL_SHEET_CHARS] or "Sheet"
    base, number = name, 2
    while name in taken:
        suffix = f" ({number})"
        name = base[: EXCEL_SHEET_CHARS - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def report_xlsx(report: BuiltReport) -> bytes:
    """The report as a workbook: a sheet per table, its headings, its rows (numbers as numbers, days as
    dates, yes and no in words), its total row in bold and the source's note under it. Build ``report`` in
    the document language (``report_document_build``)."""
    workbook = openpyxl.Workbook()
    taken: set[str] = set()
    for index, table in enumerate(report.tables):
        headings = [str(column.heading) for column in table.columns]
        sheet = add_sheet(workbook, _sheet_name(str(table.definition.sheet), taken), headings, first=index == 0)
        for row in table.rows:
            sheet_append(sheet, [_sheet_value(column, cell) for column, cell in zip(table.columns, row, strict=True)])
            for column, cell in zip(table.columns, sheet[sheet.max_row], strict=False):
                if column.kind == DATE:
                    cell.number_format = "DD/MM/YYYY"
        if table.total is not None:
            sheet_append(sheet, [cell.value for cell in table.total])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for line in _table_notes(table):
            sheet_append(sheet, [line])
        fit_columns(sheet, [48 if column.kind == TEXT else 16 for column in table.columns])
    return workbook_bytes(workbook)


def _sheet_value(column: ReportColumn, cell: Cell) -> Any:
    """A cell as the workbook holds it: numbers and days as such, a flag in words ("Có", not TRUE)."""
    return (cell.text or None) if column.kind == FLAG else cell.value


def _table_notes(table: BuiltTable) -> list[str]:
    if not table.available:
        return [_("Not available: no part of the portal provides this table.")]
    lines = [] if table.rows else [str(table.definition.empty)]
    return [*lines, table.note] if table.note else lines


def _print_table(number: int, table: BuiltTable) -> list[Block]:
    blocks = [Block("heading", f"{number}. {table.title}")]
    if table.rows:
        columns = [Column("TT", TT_MM, "center")]
        columns += [Column(str(c.heading), c.width_mm, _ALIGN.get(c.kind, "left")) for c in table.columns]
        rows = [[str(order), *(cell.text for cell in row)] for order, row in enumerate(table.rows, start=1)]
        if table.total is not None:
            rows.append(["", *(cell.text for cell in table.total)])
        blocks.append(Block("table", columns=columns, rows=rows, size_pt=12))
    blocks += [Block("note", line) for line in _table_notes(table)]
    return blocks


def report_content(report: BuiltReport, *, today: datetime.date) -> DocumentContent:
    """The report as printed (state format, not numbered: it is a statement of the records, not an issued
    document): the council's header, the title, a numbered section per table. Build ``report`` in the
    document language (``report_document_build``)."""
    council = report.council
    blocks = [
        Block(
            "para",
            f"Số liệu tổng hợp từ Cổng thông tin thi đua ngày {date_format(today, 'd/m/Y')}, "
            f"về các khối, cụm thi đua thuộc {council.name} năm {report.year}.",
        )
    ]
    for number, table in enumerate(report.tables, start=1):
        blocks += _print_table(number, table)
    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=Header.from_lines([council.parent_body, council.issuing_body or council.name]),
        place_name=council.place_name,
        date=today,
        doc_type="BÁO CÁO",
        subject=report.title,
        blocks=blocks,
        type_code=REPORT_TYPE,
        numbered=False,
    )


def report_document_build(
    definition: ReportDefinition, *, council: Council, year: int, write: Callable[[BuiltReport], Any]
) -> Any:
    """Build the report and write it (``report_xlsx``, ``report_content``) in the documents' language:
    a file prints in Vietnamese whatever the reader's interface language."""
    with translation.override(DOCUMENT_LANGUAGE):
        return write(report_build(definition, council=council, year=year))
