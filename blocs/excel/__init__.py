"""The sheet toolkit every Excel import and export of the portal uses; the units import and the council
export are its submodules (``blocs.excel.units``, ``blocs.excel.export``), their public names importable
from here.

No HTTP here (the views are in ``blocs.excel_views`` and ``awards.views``). An import reads an upload in
two steps, because an officer must see what a sheet will do before anything is written: it parses and
checks every row and writes nothing, collecting one problem per bad cell (``IssueCollector``), then at
confirm time checks the kept rows again and writes them all in one transaction, or nothing
(``ImportWriteError`` names the row that failed).

The toolkit:

* the upload guard: ``sheet_open`` refuses a file before openpyxl parses any of it when it is no
  workbook or is over one of the bounds of ``workbook_check``, and ``sheet_rows`` bounds the walk;
* the cell readers (``is_blank``, ``cell_text``, ``cell_int``, ``cell_text_within``) and the rows under
  a header (``sheet_values``);
* the problems of a sheet (``SheetIssue``, ``IssueCollector``, ``ImportWriteError``);
* the workbook writer (``add_sheet``, ``sheet_append``, ``fit_columns``, ``guide_sheet_add``, ``workbook_bytes``).

The guard's limits are module constants here, read at each check, so that a test may lower one.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import enum
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, Final, Generic, Literal, TypeVar
from xml.parsers import expat

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..text import nfc

MAX_ROWS = 5000
# Officers sometimes put a title line or two above the table; look at this many filled rows for the header.
HEADER_SEARCH_ROWS = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls, and any password-protected workbook
_DIGITS = re.compile(r"\d+")


# ----------------------------------------------------------------------------------------------------
# The problems of a sheet
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetIssue:
    """One problem: of a cell (row and column), of a row, or of the whole file (neither)."""

    message: str
    row: int | None = None
    column: str | None = None  # a column key of the import's columns
    # Each import's subclass names its columns: key -> Vietnamese title, in the sheet's order.
    column_titles: ClassVar[Mapping[str, str]] = {}

    @property
    def column_title(self) -> str:
        return self.column_titles.get(self.column, self.column) if self.column else ""

    @property
    def text(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column_title,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    def __str__(self) -> str:
        return self.text


IssueT = TypeVar("IssueT", bound=SheetIssue)


class IssueCollector(Generic[IssueT]):
    """Collects the problems of a sheet as ``issue`` instances, keeping only the first one of each cell so
    that every bad cell gets one message; ``sorted()`` lists them by row, then in the columns' order."""

    def __init__(self, issue: type[IssueT]) -> None:
        self._issue = issue
        self._order = {key: index for index, key in enumerate(issue.column_titles)}
        self._cells: dict[tuple[int, str], IssueT] = {}
        self._others: list[IssueT] = []

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        if row is not None and column is not None:
            self._cells.setdefault((row, column), self._issue(message, row, column))
        else:
            self._others.append(self._issue(message, row, column))

    def has(self, row: int, column: str) -> bool:
        return (row, column) in self._cells

    def __bool__(self) -> bool:
        return bool(self._cells or self._others)

    def sorted(self) -> list[IssueT]:
        def order(issue: IssueT) -> tuple[int, int]:
            return (issue.row or 0, self._order.get(issue.column or "", -1))

        return sorted([*self._others, *self._cells.values()], key=order)


class ImportWriteError(Exception):
    """A write failed; the transaction was rolled back and nothing of the import is saved."""

    def __init__(self, issue: SheetIssue):
        super().__init__(issue.text)
        self.issue = issue


# ----------------------------------------------------------------------------------------------------
# Opening an upload: bounds on what a workbook can make the server read
# ----------------------------------------------------------------------------------------------------
# An .xlsx is a zip of XML parts, and openpyxl trusts it: opening a workbook it inflates and parses the
# whole shared-strings table and every sheet that lacks a <dimension>, and a read-only sheet yields one
# row for every row number up to the last one, blank and missing rows included. So a 1.4 MB upload could
# hold a worker for minutes and a gigabyte. ``workbook_check`` reads the archive's directory, then streams
# each XML part through expat counting elements, and refuses the file before openpyxl parses any of it;
# ``sheet_rows`` bounds the walk of the first sheet itself. Every limit is far above the largest
# legitimate import (MAX_ROWS rows of the 12 template columns: about 60 000 cells, 5 MB of XML, read in
# under a second), so only a file no officer makes meets one; a module constant each, so tests lower them.

# A row is read no wider than this, whatever column its cells name (openpyxl would build a tuple up to
# the last one, 16 384 for column XFD): the template's 12 columns and room for the officers' own notes.
MAX_COLUMNS = 100
# Rows walked, blank and missing ones included, in the first sheet and counted in all sheets: MAX_ROWS
# data rows with blank rows between them and formatted empty rows below (20 000 walk in about 0.5 s).
MAX_WALKED_ROWS = 4 * MAX_ROWS
# Cells (<c>) of all sheets: MAX_ROWS rows of 12 columns are 60 000; room for notes columns and formatted
# empty cells. openpyxl reads about 100 000 cells a second.
MAX_CELLS = 250_000
# Distinct texts of the workbook, all loaded into memory when it opens: at most 60 000 in the import
# sheet, and a guide sheet beside it. 4 000 000 tiny strings took a minute and a gigabyte.
MAX_SHARED_STRINGS = 100_000
MAX_SHEETS = 100  # the import reads the first; a workbook of one sheet per bloc stays well below
# Cell formats and the fonts, fills, borders and named styles they use: Excel itself stops at 65 490
# formats; openpyxl builds an object for each when it opens the workbook (about 30 000 a second).
MAX_STYLE_RECORDS = 200_000
# XML elements of every part, whatever they are: a full import has about 300 000.
MAX_XML_ELEMENTS = 2_000_000
MAX_ARCHIVE_MEMBERS = 1000  # a workbook has a dozen parts, a few hundred with pictures and comments
# The members' unpacked sizes, as the archive's directory declares them (zipfile never inflates a member
# past its declared size: it stops there and fails the CRC check). A full import is about 5 MB of XML;
# pictures are stored already packed, so a workbook within the upload limit stays far below.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
# Sheets pack 5 to 25 times; zeros or one repeated element pack a thousand times. Apache POI refuses
# over 100 as well. Parts smaller than INFLATE_RATIO_FROM_BYTES may pack better and are harmless.
MAX_INFLATE_RATIO = 100
INFLATE_RATIO_FROM_BYTES = 1024 * 1024
CHECK_CHUNK_BYTES = 64 * 1024  # how much of a part the check inflates at a time
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# SpreadsheetML elements counted, by the limit they count against (the parts are found by what they
# hold, not by their names or content types, so a renamed or mislabelled part is counted all the same).
_COUNTED = {
    "row": "rows",
    "c": "cells",
    "si": "strings",
    "sheet": "sheets",
    **dict.fromkeys(("xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"), "styles"),
}


class WorkbookRefused(Exception):
    """The upload is no workbook the import will read; ``message`` says why, for the officer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class WorkbookCheck:
    """What ``workbook_check`` read of an archive, and why it refused it ("" when it may be opened)."""

    problem: str = ""
    inflated_bytes: int = 0  # of the members, inflated to be counted
    counts: collections.Counter[str] = field(default_factory=collections.Counter)  # kind of _COUNTED -> how many


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def _unreadable() -> str:
    return _(
        "The file could not be read as an Excel workbook: it may be damaged or be another kind of "
        "file. Open it in Excel, save it as “Excel Workbook (.xlsx)” and upload it again."
    )


def _too_many_rows() -> str:
    return _(
        "The Excel file is too large: its sheets have more than %(max)s rows, blank rows included. "
        "Delete the empty rows below the table and the sheets not to import, save it and upload it again."
    ) % {"max": _count(MAX_WALKED_ROWS)}


def _too_many(kind: str) -> str:
    if kind == "rows":
        return _too_many_rows()
    messages = {
        "cells": _(
            "The Excel file is too large: its sheets have more than %(max)s cells, empty formatted cells "
            "included. Delete the unused rows and columns and the sheets not to import, save it and upload "
            "it again."
        ),
        "strings": _(
            "The Excel file is too large: it holds more than %(max)s different texts. Keep only the sheet "
            "to import in the workbook, save it and upload it again."
        ),
        "sheets": _(
            "The Excel file is too large: it has more than %(max)s sheets. Keep only the sheet to import "
            "in the workbook, save it and upload it again."
        ),
        "styles": _(
            "The Excel file is too large: it has more than %(max)s cell formats and styles. Copy the table "
            "into a new workbook, save it and upload it again."
        ),
        "elements": _(
            "The Excel file is too large: its contents have more than %(max)s elements. Copy the table "
            "into a new workbook, save it and upload it again."
        ),
    }
    return messages[kind] % {"max": _count(_limits()[kind])}


def _limits() -> dict[str, int]:
    # Read at each check, not at import, so a test may lower one.
    return {
        "rows": MAX_WALKED_ROWS,
        "cells": MAX_CELLS,
        "strings": MAX_SHARED_STRINGS,
        "sheets": MAX_SHEETS,
        "styles": MAX_STYLE_RECORDS,
        "elements": MAX_XML_ELEMENTS,
    }


class _Refuse(Exception):
    """Raised from inside the expat handlers to stop reading at the first element over a limit."""


def workbook_check(file: IO[bytes]) -> WorkbookCheck:
    """Check an uploaded .xlsx against the limits above without letting openpyxl parse any of it.

    The archive's directory gives the members' count, unpacked sizes and packing ratios; then each member
    is inflated a chunk at a time through expat (no tree is built), counting rows, cells, shared strings,
    sheets, style records and elements, and the reading stops at the first one over its limit. A part
    that declares entities (the "billion laughs") or is broken XML makes the file unreadable.
    """
    check = WorkbookCheck()
    file.seek(0)
    try:
        # zipfile and zlib fail in many ways on a damaged file (and expat on a broken part); each means
        # the same here.
        with zipfile.ZipFile(file) as archive:
            check.problem = _check_directory(archive.infolist())
            for member in archive.infolist() if not check.problem else ():
                _check_member(archive, member, check)
    except _Refuse as refusal:
        check.problem = str(refusal)
    except Exception:
        check.problem = _unreadable()
    finally:
        file.seek(0)
    return check


def _check_directory(members: list[zipfile.ZipInfo]) -> str:
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return _(
            "The Excel file is too large: it is made of more than %(max)s parts. Keep only the sheet to "
            "import in the workbook, save it and upload it again."
        ) % {"max": _count(MAX_ARCHIVE_MEMBERS)}
    if sum(member.file_size for member in members) > MAX_INFLATED_BYTES:
        return _(
            "The Excel file is too large: unpacked, its contents exceed %(limit)s. Keep only the sheet to "
            "import in the workbook, save it and upload it again."
        ) % {"limit": filesizeformat(MAX_INFLATED_BYTES)}
    for member in members:
        if member.file_size > INFLATE_RATIO_FROM_BYTES and member.file_size > MAX_INFLATE_RATIO * max(
            member.compress_size, 1
        ):
            return _(
                "The Excel file is too large: a part of it unpacks to more than %(ratio)s times its packed "
                "size, which a real spreadsheet never does. Open it in Excel, save it as “Excel Workbook "
                "(.xlsx)” and upload it again."
            ) % {"ratio": MAX_INFLATE_RATIO}
    return ""


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, check: WorkbookCheck) -> None:
    limits = _limits()
    counts = check.counts

    def start(name: str, attributes: dict[str, str]) -> None:
        counts["elements"] += 1
        if counts["elements"] > limits["elements"]:
            raise _Refuse(_too_many("elements"))
        namespace, _space, local = name.rpartition(" ")
        kind = _COUNTED.get(local) if namespace == _MAIN_NS else None
        if kind is not None:
            counts[kind] += 1
            if counts[kind] > limits[kind]:
                raise _Refuse(_too_many(kind))
        # The table says how many distinct strings it holds (uniqueCount; count is how many cells use
        # them): refuse at once when it admits too many. It may lie (openpyxl ignores it), so the
        # strings themselves are counted as well.
        if local == "sst" and namespace == _MAIN_NS:
            declared = attributes.get("uniqueCount", "")
            if declared.isdigit() and int(declared) > limits["strings"]:
                raise _Refuse(_too_many("strings"))

    def entity(*args: object) -> None:
        # No part of a workbook declares entities; a "billion laughs" does. (A DOCTYPE alone is harmless,
        # and an SVG picture may well have one; expat never fetches an external DTD.)
        raise _Refuse(_unreadable())

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    with archive.open(member) as stream:
        first = True
        while chunk := stream.read(CHECK_CHUNK_BYTES):
            check.inflated_bytes += len(chunk)
            # Pictures and other binary parts are not markup: openpyxl parses none of them as XML.
            if first and b"<" not in chunk[:4]:
                return
            first = False
            parser.Parse(chunk, False)


@contextlib.contextmanager
def sheet_open(file: IO[bytes]) -> Iterator[Any]:
    """Open the first sheet of an uploaded .xlsx for reading (closed on leaving the block), or raise
    ``WorkbookRefused`` saying why the file cannot be read: too big an upload, an old .xls, not a
    workbook, damaged, or over one of the limits of ``workbook_check``, met before openpyxl parses it."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise WorkbookRefused(
            _("The file is %(size)s; files up to %(limit)s are accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    file.seek(0)
    magic = file.read(4)
    file.seek(0)
    if magic == OLE_MAGIC:
        raise WorkbookRefused(
            _(
                "This is an Excel 97–2003 (.xls) file or a workbook protected by a password. "
                "Open it in Excel, remove any password and save it as “Excel Workbook (.xlsx)”, "
                "then upload it again."
            )
        )
    if magic != ZIP_MAGIC:
        raise WorkbookRefused(
            _("This is not an Excel .xlsx file. Save the sheet as “Excel Workbook (.xlsx)” and upload it again.")
        )
    problem = workbook_check(file).problem
    if problem:
        raise WorkbookRefused(problem)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways (zip, XML, missing parts); each means the same here
        raise WorkbookRefused(_unreadable()) from None
    try:
        if not workbook.worksheets:
            raise WorkbookRefused(_unreadable())
        yield workbook.worksheets[0]
    finally:
        workbook.close()


def sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows of a sheet from ``sheet_open`` as (number, values), no wider than MAX_COLUMNS.

    Raises ``WorkbookRefused`` when the sheet declares more than MAX_WALKED_ROWS rows, or once the walk
    passes that many: blank rows, and rows missing between two row numbers, count as they are walked.
    """
    if (sheet.max_row or 0) > MAX_WALKED_ROWS:  # the sheet's <dimension>, when it has one
        raise WorkbookRefused(_too_many_rows())
    # Some writers record wrong dimensions; without them openpyxl reads every row that is there.
    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if number > MAX_WALKED_ROWS:
            raise WorkbookRefused(_too_many_rows())
        yield number, cells


# ----------------------------------------------------------------------------------------------------
# Reading cells
# ----------------------------------------------------------------------------------------------------


def is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a code typed as a number comes back as 123.0
    if isinstance(raw, datetime.datetime | datetime.date):
        raw = raw.strftime("%d/%m/%Y")
    return nfc(str(raw))


class NotANumber(enum.Enum):
    """What ``cell_int`` returns for a cell that holds something other than a whole number."""

    NOT_A_NUMBER = "not a number"


NOT_A_NUMBER: Final = NotANumber.NOT_A_NUMBER


def cell_int(raw: object) -> int | None | Literal[NotANumber.NOT_A_NUMBER]:
    """The cell's whole number, None when empty, or ``NOT_A_NUMBER``."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return NOT_A_NUMBER
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else NOT_A_NUMBER
    if isinstance(raw, str) and _DIGITS.fullmatch(nfc(raw)):
        return int(nfc(raw))
    return NOT_A_NUMBER


def cell_text_within(raw: object, *, limit: int | None, issues: IssueCollector[Any], row: int, column: str) -> str:
    """A text cell (``cell_text``); "" with an issue on the cell when it is longer than ``limit`` (the
    field's max_length), so that the field is never truncated silently."""
    value = cell_text(raw)
    if limit and len(value) > limit:
        issues.add(
            _("is %(length)s characters long; at most %(max)s are allowed. Shorten it.")
            % {"length": len(value), "max": limit},
            row=row,
            column=column,
        )
        return ""
    return value


ColumnT = TypeVar("ColumnT")


def sheet_values(
    lines: Iterator[tuple[int, tuple[object, ...]]],
    header: Mapping[int, ColumnT],
    *,
    read: Callable[[object, ColumnT, int], object],
    key: Callable[[ColumnT], str],
    issues: IssueCollector[Any],
) -> list[tuple[int, dict[str, object]]] | None:
    """The rows under a sheet's header row: ``(row number, {column key: read(cell, column, row number)})``
    for each row that is not blank, a missing cell read as None. None, with an issue on top, when there
    are more than ``MAX_ROWS`` of them: a larger upload is split rather than half-read."""
    rows: list[tuple[int, dict[str, object]]] = []
    for number, cells in lines:
        if all(is_blank(cell) for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            issues.add(
                _("The sheet has more than %(max)s rows. Split it into several files of at most %(max)s rows.")
                % {"max": MAX_ROWS}
            )
            return None
        values = {}
        for position, column in header.items():
            values[key(column)] = read(cells[position] if position < len(cells) else None, column, number)
        rows.append((number, values))
    return rows


# ----------------------------------------------------------------------------------------------------
# Writing workbooks
# ----------------------------------------------------------------------------------------------------


def sheet_append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append a row of values; text starting with "=" stays text, never a formula Excel would run."""
    sheet.append(values)
    # Rare, and max_row walks every cell: look it up only when a value needs it.
    if any(isinstance(value, str) and value.startswith("=") for value in values):
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"


def add_sheet(workbook: openpyxl.Workbook, title: str, headers: Sequence[str], *, first: bool = False) -> Worksheet:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet_append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def fit_columns(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def guide_sheet_add(
    workbook: openpyxl.Workbook, lines: Sequence[tuple[str, str]], *, label_width: int = 28
) -> Worksheet:
    """The "Guide" sheet of an import template: a row per ``(label, text)``, a label without text being a
    heading (bold), so an officer filling the sheet in Excel reads the columns and the codes beside it."""
    guide: Worksheet = workbook.create_sheet(_("Guide")[:31])  # Excel's limit on a sheet name
    guide.column_dimensions["A"].width = label_width
    guide.column_dimensions["B"].width = 90
    for label, text in lines:
        sheet_append(guide, [label, text])
        if label and not text:
            guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    return guide


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The submodules build on the toolkit above, so they are imported after it; their public names are the
# package's, as callers have always imported them from ``blocs.excel``.
from .export import council_export_filename, council_export_workbook, unit_list_filename, unit_list_workbook  # noqa: E402
from .units import (  # noqa: E402
    CHANGE_REASON,
    COLUMN_BY_KEY,
    COLUMNS,
    Action,
    Column,
    ImportIssue,
    ImportPlan,
    ImportResult,
    MembershipPlan,
    PreviewRow,
    SheetRow,
    UnitPlan,
    units_import_apply,
    units_import_load,
    units_import_parse,
    units_import_template_workbook,
)

__all__ = [
    "CHANGE_REASON",
    "COLUMN_BY_KEY",
    "COLUMNS",
    "Action",
    "Column",
    "ImportIssue",
    "ImportPlan",
    "ImportResult",
    "MembershipPlan",
    "PreviewRow",
    "SheetRow",
    "UnitPlan",
    "council_export_filename",
    "council_export_workbook",
    "unit_list_filename",
    "unit_list_workbook",
    "units_import_apply",
    "units_import_load",
    "units_import_parse",
    "units_import_template_workbook",
]
