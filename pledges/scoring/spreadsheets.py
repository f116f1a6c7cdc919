"""The scoring files in Excel: the bloc-year's scoring table (bảng chấm điểm thi đua) out and in, and the
ranking (kết quả chấm điểm, xếp hạng) out.

The table's sheet is the one a province publishes: a title, then a row per group (nhóm tiêu chí, its
Roman numeral and maximum) with its criteria under it (tiêu chí: a number, the text, the kind, the maximum,
the scoring guide), active ones only, in order. ``table_sheet_read`` reads such a sheet back into
``TableLine`` rows (what ``table_xlsx`` writes reads back unchanged) and reports each bad cell; it writes
nothing. ``pledges.scoring.imports.scoring_table_import`` then replaces the table's lines through the
table's own services, all or nothing.

The toolkit is ``blocs.excel``'s: the bounded opening of an upload, the cell readers, the problems of a sheet
and the workbook writers. Column titles, kinds and the words of the sheet are Vietnamese data (the
officers' words), matched ignoring case, diacritics and punctuation, like every import's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from blocs.excel import (  # the sheet toolkit every import shares
    HEADER_SEARCH_ROWS,
    IssueCollector,
    SheetIssue,
    WorkbookRefused,
    add_sheet,
    cell_text,
    cell_text_within,
    fit_columns,
    guide_sheet_add,
    is_blank,
    sheet_append,
    sheet_open,
    sheet_rows,
    sheet_values,
    workbook_bytes,
)
from blocs.models import Bloc
from blocs.text import fold, nfc_text
from documents.render import DOCUMENT_LANGUAGE, file_name_safe

from ..printing import roman
from .models import Criterion, Ranking, RankingEntry, Score, ScoringGroup, ScoringTable
from .selectors import sheet_criteria
from .services import maximum_parse, points_text

GROUP = "group"  # the kind of a group's row; a criterion's row has its Criterion.Kind

# ------------------------------------------------------------------------------------------------------
# The table's sheet
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # written in the export
    aliases: tuple[str, ...] = ()  # other titles officers give the column, matched folded
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", "STT", ("TT", "Số thứ tự")),
    Column("text", "Nhóm, tiêu chí", ("Tiêu chí", "Nội dung", "Nội dung tiêu chí", "Nhóm tiêu chí"), required=True),
    Column("kind", "Loại", ("Loại điểm", "Loại tiêu chí"), required=True),
    Column("maximum", "Điểm tối đa", ("Điểm chuẩn", "Điểm", "Thang điểm"), required=True),
    Column("guide", "Hướng dẫn chấm", ("Hướng dẫn", "Cách chấm", "Hướng dẫn chấm điểm")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_COLUMN_BY_FOLDED_TITLE = {fold(title): c for c in COLUMNS for title in (c.title, *c.aliases)}
TABLE_WIDTHS = [7, 70, 11, 12, 60]

# The kind as the sheet writes it, and every word it is read from (folded).
KIND_WORDS = {
    GROUP: "Nhóm",
    Criterion.Kind.BASE: "Cơ bản",
    Criterion.Kind.BONUS: "Thưởng",
    Criterion.Kind.PENALTY: "Trừ",
}
_KIND_BY_FOLDED_WORD = {
    fold(word): kind
    for kind, words in {
        GROUP: ("Nhóm", "Nhóm tiêu chí"),
        Criterion.Kind.BASE: ("Cơ bản", "Điểm cơ bản", "Chuẩn", "Điểm chuẩn"),
        Criterion.Kind.BONUS: ("Thưởng", "Điểm thưởng", "Cộng", "Điểm cộng"),
        Criterion.Kind.PENALTY: ("Trừ", "Điểm trừ"),
    }.items()
    for word in words
}
GROUP_NAME_LIMIT: int = ScoringGroup._meta.get_field("name").max_length  # type: ignore[assignment]


class TableIssue(SheetIssue):
    """A problem of the table's sheet, its column named by the title of ``COLUMNS``."""

    column_titles = {c.key: c.title for c in COLUMNS}


@dataclass(frozen=True)
class TableLine:
    """A row of the table's sheet as read: a group (``kind`` GROUP) or a criterion of the group above it.
    ``maximum`` is a checked number (``maximum_parse``), or the cell as given when it is not one."""

    row: int
    kind: str
    text: str
    maximum: Decimal | str
    guide: str = ""

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP

    @property
    def kind_word(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)

    @property
    def maximum_text(self) -> str:
        """ "20", "2,5": the maximum as the page shows points."""
        return points_text(self.maximum) if isinstance(self.maximum, Decimal) else self.maximum

    def session_data(self) -> list[Any]:
        return [self.row, self.kind, self.text, str(self.maximum), self.guide]

    @classmethod
    def from_session(cls, data: Sequence[Any]) -> TableLine:
        row, kind, text, maximum, guide = data
        return cls(row=int(row), kind=str(kind), text=str(text), maximum=str(maximum), guide=str(guide))


@dataclass
class TableSheet:
    """What ``table_sheet_read`` found: the rows in order, or the problems (one per bad cell)."""

    lines: list[TableLine] = field(default_factory=list)
    issues: list[TableIssue] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.issues and bool(self.lines)


def table_title(table: ScoringTable) -> str:
    return f"BẢNG CHẤM ĐIỂM THI ĐUA NĂM {table.year}"


def table_xlsx(table: ScoringTable) -> bytes:
    """The table as a province publishes it: its title and bloc, then each active group (Roman numeral,
    name, "Nhóm", maximum) followed by its active criteria (number, text, kind, maximum, guide), in order.
    Two queries. ``table_sheet_read`` reads it back unchanged."""
    groups = list(table.groups.filter(active=True).order_by("position", "id"))
    criteria = sheet_criteria(table)
    workbook = openpyxl.Workbook()
    sheet = add_sheet(workbook, f"Bảng chấm điểm {table.year}", [c.title for c in COLUMNS], first=True)
    for number, group in enumerate(groups, start=1):
        sheet_append(sheet, [roman(number), group.name, KIND_WORDS[GROUP], group.maximum, ""])
        lines = [c for c in criteria if c.group_id == group.pk]
        for index, criterion in enumerate(lines, start=1):
            sheet_append(
                sheet, [str(index), criterion.text, KIND_WORDS[criterion.kind], criterion.maximum, criterion.guide]
            )
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        is_group = row[2].value == KIND_WORDS[GROUP]
        for cell in row:
            cell.alignment = wrapped
            if is_group:
                cell.font = Font(bold=True)
    _title_rows(sheet, [table_title(table), table.bloc.name])
    fit_columns(sheet, TABLE_WIDTHS)
    guide_sheet_add(workbook, _guide_lines(), label_width=18)
    return workbook_bytes(workbook)


def _title_rows(sheet: Worksheet, lines: Sequence[str]) -> None:
    """Put title lines (bold, then a blank row) above the header row that ``add_sheet`` wrote first."""
    sheet.insert_rows(1, amount=len(lines) + 1)
    for index, line in enumerate(lines, start=1):
        cell = sheet.cell(row=index, column=1, value=line)
        cell.font = Font(bold=index == 1)
        cell.data_type = "s"  # a name starting with "=" stays text, never a formula (as ``sheet_append``)
    sheet.freeze_panes = f"A{len(lines) + 3}"


def _guide_lines() -> list[tuple[str, str]]:
    words = ", ".join(f"“{word}”" for word in KIND_WORDS.values())
    return [
        (_("How to fill in"), ""),
        ("", _("Only the first sheet is read. Keep its row of column titles; one group or criterion per row.")),
        ("", _("A group's row comes first, its criteria under it, in the order they are printed.")),
        ("", _("Importing replaces every group and criterion of the table, while scoring has not opened.")),
        ("", ""),
        (_("Columns"), ""),
        (COLUMN_BY_KEY["text"].title, _("Required: the group's name or the criterion's text.")),
        (COLUMN_BY_KEY["kind"].title, _("Required: one of %(words)s.") % {"words": words}),
        (
            COLUMN_BY_KEY["maximum"].title,
            _(
                "Required: more than 0, at most two decimals. A penalty's maximum is the most it takes off. The base "
                "criteria of a group add up to at most the group's maximum; bonus points come on top."
            ),
        ),
        (COLUMN_BY_KEY["guide"].title, _("Optional: how the criterion is scored.")),
    ]


def table_xlsx_filename(table: ScoringTable) -> str:
    """ "bang-cham-diem-KTD6-2021.xlsx": ASCII, so every browser keeps it."""
    return f"bang-cham-diem-{file_name_safe(table.bloc.code)}-{table.year}.xlsx"


def table_sheet_read(file: IO[bytes]) -> TableSheet:
    """Read an uploaded sheet of a scoring table into its rows, checking each cell (the maximum with the
    services' own ``maximum_parse``). Writes nothing; the rules that span rows and the table's state are
    the import service's (``pledges.scoring.imports.scoring_table_import``)."""
    issues = IssueCollector(TableIssue)
    try:
        with sheet_open(file) as sheet:
            read = _read_rows(sheet, issues)
    except WorkbookRefused as refusal:  # the file as a whole: its one problem
        return TableSheet(issues=[TableIssue(refusal.message)])
    if read is None:
        return TableSheet(issues=issues.sorted())
    rows, ignored = read
    lines: list[TableLine] = []
    group_seen = False
    for number, values in rows:
        line = _line(number, values, issues)
        if line is None:
            continue
        if line.is_group:
            group_seen = True
        elif not group_seen and not issues.has(number, "kind"):
            issues.add(_("a criterion comes under its group: put a group's row above it"), row=number, column="kind")
        lines.append(line)
    if not rows and not issues:
        issues.add(_("The sheet has no rows under its header row."))
    return TableSheet(lines=lines, issues=issues.sorted(), ignored_headers=ignored)


def _read_rows(
    sheet: Any, issues: IssueCollector[TableIssue]
) -> tuple[list[tuple[int, dict[str, object]]], list[str]] | None:
    lines = sheet_rows(sheet)
    header: dict[int, Column] = {}
    ignored: list[str] = []
    filled = 0
    for _number, cells in lines:
        if all(is_blank(cell) for cell in cells):
            continue
        filled += 1
        found = {position: _COLUMN_BY_FOLDED_TITLE.get(fold(str(cell))) for position, cell in enumerate(cells)}
        if any(column is not None and column.key == "maximum" for column in found.values()):
            for position, column in found.items():
                if column is not None and column not in header.values():
                    header[position] = column
                elif column is None and not is_blank(cells[position]):
                    ignored.append(cell_text(cells[position]))
            break
        if filled == HEADER_SEARCH_ROWS:
            break
    missing = [c.title for c in COLUMNS if c.required and c not in header.values()]
    if not filled:
        issues.add(_("The first sheet of the workbook is empty."))
        return None
    if missing:
        issues.add(
            _("The first sheet lacks the required columns: %(columns)s. Use the template's column titles.")
            % {"columns": ", ".join(missing)}
        )
        return None
    rows = sheet_values(lines, header, read=lambda raw, column, number: raw, key=lambda c: c.key, issues=issues)
    return (rows, ignored) if rows is not None else None


def _line(number: int, values: Mapping[str, object], issues: IssueCollector[TableIssue]) -> TableLine | None:
    """A row's cells as a ``TableLine``, each bad cell reported; None when the kind cannot be read."""
    raw_kind = values.get("kind")
    kind = _KIND_BY_FOLDED_WORD.get(fold(cell_text(raw_kind)))
    if kind is None:
        words = ", ".join(f"“{word}”" for word in KIND_WORDS.values())
        if is_blank(raw_kind):
            issues.add(_("is required: one of %(words)s") % {"words": words}, row=number, column="kind")
        else:
            issues.add(
                _("“%(value)s” is not a kind; write one of %(words)s") % {"value": cell_text(raw_kind), "words": words},
                row=number,
                column="kind",
            )
        return None
    if kind == GROUP:  # a group's name is one line, of a bounded length
        text = cell_text_within(values.get("text"), limit=GROUP_NAME_LIMIT, issues=issues, row=number, column="text")
    else:  # a criterion's text keeps its line breaks, as its multi-line field stores it
        text = _multi_line(values.get("text"))
    if not text and not issues.has(number, "text"):
        issues.add(_("is required"), row=number, column="text")
    maximum = _maximum(values.get("maximum"), kind=kind, row=number, issues=issues)
    guide = _multi_line(values.get("guide"))
    if guide and kind == GROUP:
        issues.add(_("a group has no scoring guide; put it on its criteria"), row=number, column="guide")
    return TableLine(row=number, kind=kind, text=text, maximum=maximum, guide=guide)


def _multi_line(raw: object) -> str:
    return nfc_text(raw if isinstance(raw, str) else cell_text(raw))


def _maximum(raw: object, *, kind: str, row: int, issues: IssueCollector[TableIssue]) -> Decimal | str:
    """The maximum as a number checked by ``maximum_parse``; the cell's text with an issue otherwise. A
    penalty's maximum written as a negative number ("−10") is the same maximum."""
    if isinstance(raw, bool):
        value: Decimal | str = cell_text(raw)
    elif isinstance(raw, int | float):
        # Round away a float's binary noise (2.5499999999999998), never a decimal someone typed (2.555).
        value = Decimal(repr(round(raw, 9)))
    else:
        value = cell_text(raw)
    if value == "":
        issues.add(_("is required"), row=row, column="maximum")
        return value
    if kind == Criterion.Kind.PENALTY:
        if isinstance(value, Decimal) and value < 0:
            value = -value
        elif isinstance(value, str) and value.startswith(("-", "−")):
            value = value[1:].strip()
    try:
        return maximum_parse(value, "maximum")
    except ValidationError as error:
        issues.add(" ".join(error.message_dict["maximum"]), row=row, column="maximum")
        return value


# ------------------------------------------------------------------------------------------------------
# The ranking
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CriterionColumn:
    criterion: Criterion
    heading: str


def _criterion_columns(ranking: Ranking) -> tuple[list[_CriterionColumn], dict[tuple[int, int], Decimal | None]]:
    """The criteria of a final computed ranking and each unit's review points per criterion, by (unit id,
    criterion id); none for a ranking entered directly or reopened (then the scores may have changed
    since the stored rows were finalised). Three queries."""
    if ranking.method != Ranking.Method.COMPUTED or not ranking.is_final:
        return [], {}
    table = ScoringTable.objects.filter(bloc_id=ranking.bloc_id, year=ranking.year).first()
    if table is None:
        return [], {}
    criteria = sheet_criteria(table)
    columns: list[_CriterionColumn] = []
    group_numbers: dict[int, int] = {}
    counts: dict[int, int] = {}
    for criterion in criteria:
        group_number = group_numbers.setdefault(criterion.group_id, len(group_numbers) + 1)
        counts[criterion.group_id] = counts.get(criterion.group_id, 0) + 1
        code = f"{roman(group_number)}.{counts[criterion.group_id]}"
        heading = f"{code}. {criterion.text} (tối đa {points_text(criterion.maximum)})"
        columns.append(_CriterionColumn(criterion=criterion, heading=heading))
    points = {
        (unit_id, criterion_id): review
        for unit_id, criterion_id, review in Score.objects.filter(
            sheet__table=table, criterion_id__in=[c.pk for c in criteria]
        ).values_list("sheet__unit_id", "criterion_id", "review_points")
    }
    return columns, points


# A sheet still being written (never submitted, or returned) has a running self total, not a result.
_UNSUBMITTED = (RankingEntry.NotRanked.DRAFT, RankingEntry.NotRanked.RETURNED)


def entry_self_total(entry: RankingEntry) -> Decimal | None:
    """The unit's own total as a result: none for a sheet that was not submitted (it would read as a 0)."""
    return None if entry.not_ranked in _UNSUBMITTED else entry.self_total


def ranking_status(ranking: Ranking) -> str:
    """What the file says of the ranking's standing: finalised (and when), entered directly, or reopened."""
    finalised = timezone.localtime(ranking.finalised_at).strftime("%d/%m/%Y")
    if not ranking.is_final:
        reopened = timezone.localtime(ranking.reopened_at).strftime("%d/%m/%Y") if ranking.reopened_at else ""
        return (
            f"Đã mở lại ngày {reopened}: các dòng dưới đây là kết quả đã chốt ngày {finalised}, "
            "không còn là kết quả chính thức."
        )
    if ranking.method == Ranking.Method.DIRECT:
        return f"Kết quả xếp hạng được nhập trực tiếp vào cổng ngày {finalised}."
    return f"Kết quả đã chốt ngày {finalised}."


def joined_words(bloc: Bloc, year: int) -> str:
    """ "Tham gia khối từ năm 2021" (a cluster: "cụm"): the note of a unit that joined during the year."""
    word = "cụm" if bloc.kind == Bloc.Kind.CLUSTER else "khối"
    return f"Tham gia {word} từ năm {year}"


def ranking_xlsx(*, ranking: Ranking) -> bytes:
    """The stored ranking of a bloc-year: a row per unit as finalised (position, name, for a computed
    ranking its review points per criterion and its self and review totals, the final score, the rank, why
    it is not ranked, whether it joined during the year). A ranking entered directly has no criterion or
    total columns. Six queries whatever the number of units and criteria (the ranking's entries, read by
    ``selectors.ranking_stored``, are counted there)."""
    bloc: Bloc = ranking.bloc
    entries: list[RankingEntry] = list(ranking.entries.all())
    computed = ranking.method == Ranking.Method.COMPUTED
    with translation.override(DOCUMENT_LANGUAGE):
        columns, points = _criterion_columns(ranking)
        headings = [
            "STT",
            "Đơn vị",
            *(column.heading for column in columns),
            *(["Tổng điểm tự chấm", "Tổng điểm thẩm định"] if computed else []),
            "Điểm xếp hạng",
            "Xếp hạng",
            "Không xếp hạng vì",
            "Ghi chú",
        ]
        workbook = openpyxl.Workbook()
        sheet = add_sheet(workbook, f"Xếp hạng {ranking.year}", headings, first=True)
        for entry in entries:
            criterion_points = [points.get((entry.unit_id, c.criterion.pk)) if entry.rank else None for c in columns]
            sheet_append(
                sheet,
                [
                    entry.position,
                    entry.unit_name,
                    *criterion_points,
                    *([entry_self_total(entry), entry.review_total] if computed else []),
                    entry.final_score,
                    entry.rank,
                    str(RankingEntry.NotRanked(entry.not_ranked).label) if entry.not_ranked else "",
                    joined_words(bloc, ranking.year) if entry.joined_during_year else "",
                ],
            )
        for cell in sheet[1]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        _title_rows(sheet, [f"KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {ranking.year}", bloc.name, ranking_status(ranking)])
    fit_columns(sheet, [6, 45, *([16] * len(columns)), *([14, 14] if computed else []), 12, 10, 34, 26])
    return workbook_bytes(workbook)


def ranking_xlsx_filename(ranking: Ranking) -> str:
    """ "ket-qua-cham-diem-KTD6-2021.xlsx"."""
    return f"ket-qua-cham-diem-{file_name_safe(ranking.bloc.code)}-{ranking.year}.xlsx"
