"""Excel in and out for awards: officers import awards decided outside the portal, and export the
council-wide list of a year.

The import follows ``blocs.excel``: ``external_import_parse`` reads and checks every row against the
database and writes nothing; the officer sees the problems (one per bad cell) or a preview; at confirm
time ``external_import_load`` checks the kept rows again and ``external_import_apply`` writes them all
through ``awards.services`` in one transaction, or nothing. The bounded opening of an upload
(``sheet_open``, ``sheet_rows``), the cell readers and the workbook writers are those of ``blocs.excel``;
only the columns and the checks are the awards' own.

Column titles are Vietnamese data (the officers' words), matched ignoring case, diacritics and
punctuation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from blocs.excel import (  # the sheet toolkit every import shares
    HEADER_SEARCH_ROWS,
    XLSX_CONTENT_TYPE,  # noqa: F401  (the views answer with it)
    ImportWriteError,
    IssueCollector,
    SheetIssue,
    WorkbookRefused,
    add_sheet,
    cell_int,
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
from blocs.fields import FIRST_YEAR, LAST_YEAR
from blocs.models import Bloc, Council, Membership, Unit, User
from blocs.text import fold, nfc_text

from . import services
from .models import AwardType, Person, Proposal
from .printing import STATUS_WORDS, tally_words


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str  # "text", "lines" (multi-line text: its line breaks are kept), "year", "date"
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", "year", required=True),
    Column("award_type", "Hình thức khen thưởng", "text", required=True),
    Column("unit_code", "Mã đơn vị", "text", required=True),
    Column("collective_name", "Tập thể", "text"),
    Column("person_name", "Họ tên cá nhân", "text"),
    Column("person_position", "Chức vụ", "text"),
    Column("bloc_code", "Mã khối", "text"),
    Column("decision_number", "Số quyết định", "text"),
    Column("decision_date", "Ngày quyết định", "date"),
    Column("signer", "Người ký", "text"),
    Column("conference_date", "Ngày hội nghị", "date"),
    Column("summary", "Thành tích", "lines"),
    Column("award_reason", "Lý do khen thưởng", "lines"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_COLUMN_BY_FOLDED_TITLE = {fold(c.title): c for c in COLUMNS}
_LENGTHS = {
    "collective_name": Proposal._meta.get_field("collective_name").max_length,
    "person_name": Person._meta.get_field("name").max_length,
    "person_position": Person._meta.get_field("position").max_length,
    "decision_number": 60,
    "signer": 200,
}


class Issue(SheetIssue):
    """One problem of the awards sheet, its column named by the title of ``COLUMNS``."""

    column_titles = {c.key: c.title for c in COLUMNS}


Issues = IssueCollector[Issue]


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    # Resolved by the checks (not kept in the session; looked up again at confirm time).
    award_type: AwardType | None = None
    unit: Unit | None = None
    bloc: Bloc | None = None

    @property
    def recipient(self) -> str:
        if self.values.get("person_name"):
            return str(self.values["person_name"])
        if self.values.get("collective_name"):
            return f"{self.values['collective_name']}, {self.unit.name if self.unit else ''}"
        return self.unit.name if self.unit else ""


@dataclass
class ImportPlan:
    council: Council
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.issues and bool(self.rows)

    def session_data(self) -> list[list[Any]]:
        """The cleaned cells as JSON: dates as ISO strings."""
        data = []
        for row in self.rows:
            values = {
                key: value.isoformat() if isinstance(value, datetime.date) else value
                for key, value in row.values.items()
            }
            data.append([row.number, values])
        return data


# ------------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------------


def external_import_parse(*, council: Council, file: IO[bytes]) -> ImportPlan:
    """Read an uploaded .xlsx and check every row against ``council``'s data. Writes nothing."""
    issues = IssueCollector(Issue)
    try:
        rows = _read(file, issues)
    except WorkbookRefused as refusal:  # the file as a whole: its one problem, whatever was read before
        return ImportPlan(council=council, issues=[Issue(refusal.message)])
    if issues and not rows:
        return ImportPlan(council=council, issues=issues.sorted())
    return _check(council=council, rows=rows, issues=issues)


def external_import_load(*, council: Council, data: list[list[Any]]) -> ImportPlan:
    """Check again the rows ``ImportPlan.session_data()`` kept (the database may have changed)."""
    rows = []
    for number, values in data:
        for key in ("decision_date", "conference_date"):
            if values.get(key):
                values[key] = datetime.date.fromisoformat(values[key])
        rows.append(Row(number=number, values=values))
    return _check(council=council, rows=rows, issues=IssueCollector(Issue))


def _read(file: IO[bytes], issues: Issues) -> list[Row]:
    with sheet_open(file) as sheet:
        lines = sheet_rows(sheet)
        header: dict[int, Column] = {}
        for number, cells in lines:
            folded = {fold(str(cell)) for cell in cells if cell is not None}
            if fold(COLUMN_BY_KEY["award_type"].title) in folded:
                for position, cell in enumerate(cells):
                    column = _COLUMN_BY_FOLDED_TITLE.get(fold(str(cell))) if not is_blank(cell) else None
                    if column is not None and column not in header.values():
                        header[position] = column
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        missing = [c.title for c in COLUMNS if c.required and c not in header.values()]
        if not header or missing:
            issues.add(
                _("The first sheet lacks the required columns: %(columns)s. Use the template's column titles.")
                % {"columns": ", ".join(missing or [c.title for c in COLUMNS if c.required])}
            )
            return []
        values = sheet_values(
            lines,
            header,
            read=lambda raw, column, number: _read_cell(raw, column=column, row=number, issues=issues),
            key=lambda column: column.key,
            issues=issues,
        )
        if values is None:
            return []
        rows = [Row(number=number, values=row_values) for number, row_values in values]
        if not rows:
            issues.add(_("The sheet has no rows under its header row."))
        return rows


def _read_cell(raw: object, *, column: Column, row: int, issues: Issues) -> str | int | datetime.date | None:
    if column.kind == "lines":
        # A cell of several lines (Alt+Enter) keeps them, as the multi-line field it fills stores them.
        return nfc_text(cell_text(raw) if not isinstance(raw, str) else raw)
    if column.kind == "text":
        return cell_text_within(raw, limit=_LENGTHS.get(column.key), issues=issues, row=row, column=column.key)
    if column.kind == "year":
        number = cell_int(raw)
        if number is None:
            return None
        if not isinstance(number, int) or not FIRST_YEAR <= number <= LAST_YEAR:
            issues.add(
                _("must be a year from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                row=row,
                column=column.key,
            )
            return None
        return number
    # date
    if is_blank(raw):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = cell_text(raw)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    issues.add(_("must be a date, e.g. 15/03/2021"), row=row, column=column.key)
    return None


# ------------------------------------------------------------------------------------------------------
# Checking the rows against the database (reads only; a fixed number of queries)
# ------------------------------------------------------------------------------------------------------


@dataclass
class _Recorded:
    """What the checks look up, read once for all the rows (a fixed number of queries)."""

    type_by_name: dict[str, AwardType]
    units: dict[str, Unit]
    blocs: dict[str, Bloc]
    memberships: dict[tuple[int, int], list[tuple[int, int | None]]]
    people: dict[tuple[int, str], int]
    # (type, year, recipient) of decided awards, for duplicates; (bloc, type, year, recipient) of a
    # bloc-year's proposals in any state.
    awards: set[tuple[Any, ...]]


def _recorded(*, council: Council, rows: list[Row]) -> _Recorded:
    types = list(AwardType.objects.filter(council=council))
    memberships: dict[tuple[int, int], list[tuple[int, int | None]]] = {}
    for bloc_id, unit_id, first, last in Membership.objects.filter(bloc__council=council).values_list(
        "bloc_id", "unit_id", "first_year", "last_year"
    ):
        memberships.setdefault((bloc_id, unit_id), []).append((first, last))
    years = {row.values.get("year") for row in rows if row.values.get("year")}
    awards: set[tuple[Any, ...]] = set()
    for type_id, year, bloc_id, unit_id, collective, person_id, status in Proposal.objects.filter(
        council=council, year__in=years
    ).values_list("award_type_id", "year", "bloc_id", "unit_id", "collective_name", "person_id", "status"):
        recipient = ("person", person_id) if person_id else ("unit", unit_id, fold(collective))
        awards.add(("bloc", bloc_id, type_id, year, recipient))
        if status == Proposal.Status.DECIDED:
            awards.add(("decided", type_id, year, recipient))
    return _Recorded(
        type_by_name={fold(t.name): t for t in types} | {fold(t.code): t for t in types},
        units={u.code: u for u in Unit.objects.filter(council=council)},
        blocs={b.code: b for b in Bloc.objects.filter(council=council)},
        memberships=memberships,
        people={
            (unit_id, search): pk
            for pk, unit_id, search in Person.objects.filter(council=council).values_list(
                "pk", "unit_id", "search_text"
            )
        },
        awards=awards,
    )


def _check(*, council: Council, rows: list[Row], issues: Issues) -> ImportPlan:
    recorded = _recorded(council=council, rows=rows)
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        for column in COLUMNS:
            if column.required and row.values.get(column.key) in (None, "") and not issues.has(row.number, column.key):
                issues.add(_("is required"), row=row.number, column=column.key)
        _resolve(row, recorded=recorded, issues=issues)
        _check_recipient(row, issues=issues)
        _check_membership(row, recorded=recorded, issues=issues)
        _check_duplicate(row, recorded=recorded, seen=seen, issues=issues)
    return ImportPlan(council=council, rows=rows, issues=issues.sorted())


def _resolve(row: Row, *, recorded: _Recorded, issues: Issues) -> None:
    """Find the row's award type, unit and bloc by the names and codes it gives."""
    values, n = row.values, row.number
    row.award_type = recorded.type_by_name.get(fold(values.get("award_type") or ""))
    if values.get("award_type") and row.award_type is None:
        issues.add(
            _("unknown award type “%(value)s”; use a name from the template's guide") % {"value": values["award_type"]},
            row=n,
            column="award_type",
        )
    row.unit = recorded.units.get(values.get("unit_code") or "")
    if values.get("unit_code") and row.unit is None:
        issues.add(
            _("no unit of this council has the code “%(code)s”") % {"code": values["unit_code"]},
            row=n,
            column="unit_code",
        )
    row.bloc = None
    if values.get("bloc_code"):
        row.bloc = recorded.blocs.get(values["bloc_code"])
        if row.bloc is None:
            issues.add(
                _("there is no bloc with the code “%(code)s” in this council") % {"code": values["bloc_code"]},
                row=n,
                column="bloc_code",
            )


def _check_recipient(row: Row, *, issues: Issues) -> None:
    """A collective or a person, as the award type allows; the bloc's own awards name the bloc and the
    conference."""
    values, n, award_type = row.values, row.number, row.award_type
    person_name = values.get("person_name") or ""
    if person_name and values.get("collective_name"):
        issues.add(_("fill in either a collective or a person, not both"), row=n, column="person_name")
    if award_type is None:
        return
    if person_name and not award_type.allows_individual:
        issues.add(
            _("%(type)s is awarded to collectives, not to a person.") % {"type": award_type.name},
            row=n,
            column="person_name",
        )
    if not person_name and not award_type.allows_collective:
        issues.add(
            _("%(type)s is awarded to individuals: name the person.") % {"type": award_type.name},
            row=n,
            column="person_name",
        )
    if award_type.is_bloc_issued:
        for key in ("bloc_code", "conference_date"):
            if not values.get(key) and not issues.has(n, key):
                issues.add(_("is required for an award of the bloc itself"), row=n, column=key)
    # Otherwise the decision's number and date may be empty: unknown, stored as unknown, never refused so
    # that an officer has to invent "…/QĐ".


def _check_membership(row: Row, *, recorded: _Recorded, issues: Issues) -> None:
    year = row.values.get("year")
    if row.bloc is None or row.unit is None or not year:
        return
    periods = recorded.memberships.get((row.bloc.pk, row.unit.pk), [])
    if not any(first <= year and (last is None or last >= year) for first, last in periods):
        issues.add(
            _("%(unit)s is not a member of the bloc in %(year)s.") % {"unit": row.unit.name, "year": year},
            row=row.number,
            column="bloc_code",
        )


def _check_duplicate(row: Row, *, recorded: _Recorded, seen: dict[tuple[Any, ...], int], issues: Issues) -> None:
    """The same award for the same recipient and year once: in the sheet, and not already recorded."""
    values, n, award_type, unit = row.values, row.number, row.award_type, row.unit
    year = values.get("year")
    if award_type is None or unit is None or not year:
        return
    person_name = values.get("person_name") or ""
    if person_name:
        person_pk = recorded.people.get((unit.pk, fold(person_name)))
        recipient = ("person", person_pk) if person_pk else ("new person", unit.pk, fold(person_name))
    else:
        recipient = ("unit", unit.pk, fold(values.get("collective_name") or ""))
    key = (award_type.pk, year, recipient)
    if key in seen:
        issues.add(
            _("the same award for the same recipient and year is on row %(row)s") % {"row": seen[key]},
            row=n,
            column="award_type",
        )
        return
    seen[key] = n
    if ("decided", award_type.pk, year, recipient) in recorded.awards or (
        row.bloc is not None and ("bloc", row.bloc.pk, award_type.pk, year, recipient) in recorded.awards
    ):
        issues.add(
            _("%(recipient)s already has a record of %(type)s for %(year)s")
            % {"recipient": row.recipient, "type": award_type.name, "year": year},
            row=n,
            column="award_type",
        )


# ------------------------------------------------------------------------------------------------------
# Writing: all or nothing
# ------------------------------------------------------------------------------------------------------


def external_import_apply(*, plan: ImportPlan, by: User | None) -> int:
    """Enter every row through ``award_enter_external`` in one transaction; returns the number entered.

    Raises ``ImportWriteError`` naming the row whose write failed, after rolling everything back.
    """
    if not plan.is_valid:
        raise ValueError("Only a plan without issues can be applied.")
    with transaction.atomic():
        for row in plan.rows:
            values = row.values
            try:
                person = None
                if values.get("person_name"):
                    person = services.person_get_or_create(
                        unit=row.unit, name=values["person_name"], position=values.get("person_position") or "", by=by
                    )
                services.award_enter_external(
                    council=plan.council,
                    award_type=row.award_type,
                    year=values["year"],
                    unit=row.unit,
                    collective_name=values.get("collective_name") or "",
                    person=person,
                    bloc=row.bloc,
                    decision_number=values.get("decision_number") or "",
                    decision_date=values.get("decision_date"),
                    signer=values.get("signer") or "",
                    conference_date=values.get("conference_date"),
                    summary=values.get("summary") or "",
                    award_reason=values.get("award_reason") or "",
                    by=by,
                )
            except (ValidationError, DatabaseError) as error:
                message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                raise ImportWriteError(Issue(message, row=row.number)) from error
    return len(plan.rows)


# ------------------------------------------------------------------------------------------------------
# Workbooks
# ------------------------------------------------------------------------------------------------------


def external_import_template_workbook(*, council: Council) -> bytes:
    """The import sheet with its column titles and one example row, and a guide listing types and blocs."""
    workbook = openpyxl.Workbook()
    sheet = add_sheet(workbook, "Khen thưởng", [c.title for c in COLUMNS], first=True)
    sheet_append(
        sheet,
        [
            council.current_year - 1,
            "Bằng khen của Chủ tịch UBND tỉnh",
            "LDLD",
            "",
            "",
            "",
            "",
            "123/QĐ-UBND",
            "15/03/2021",
            "Nguyễn Văn A, Chủ tịch UBND tỉnh",
            "",
            "",
        ],
    )
    fit_columns(sheet, [8, 34, 12, 26, 24, 20, 10, 16, 14, 30, 14, 40])
    lines = [
        (_("How to fill in"), ""),
        ("", _("One award per row. Delete the example row before importing.")),
        ("", _("A collective inside a unit: fill in “Tập thể”. A person: fill in “Họ tên cá nhân” and “Chức vụ”.")),
        ("", _("Awards of the bloc itself need the bloc's code and the conference date; others the decision.")),
        ("", ""),
        (_("Award types"), ""),
        *[(t.code, t.name) for t in AwardType.objects.filter(council=council)],
        ("", ""),
        (_("Blocs"), ""),
        *[(b.code, b.name) for b in Bloc.objects.filter(council=council).order_by("sort_name")],
    ]
    guide_sheet_add(workbook, lines)
    return workbook_bytes(workbook)


LIST_HEADERS = [
    "TT",
    "Năm",
    "Hình thức khen thưởng",
    "Đối tượng",
    "Tên tập thể, cá nhân",
    "Chức vụ",
    "Đơn vị",
    "Khối thi đua",
    "Kết quả bình xét",
    "Tình trạng",
    "Số quyết định",
    "Ngày quyết định",
    "Người ký",
    "Ngày hội nghị",
    "Thành tích",
    "Lý do khen thưởng",
]


def award_list_workbook(*, council: Council, year: int, proposals: list[Proposal]) -> bytes:
    """The council-wide list of a year: one row per proposal, in the catalogue's order of award types."""
    workbook = openpyxl.Workbook()
    sheet = add_sheet(workbook, f"Khen thưởng {year}", LIST_HEADERS, first=True)
    for index, p in enumerate(proposals, start=1):
        sheet_append(
            sheet,
            [
                index,
                p.year,
                p.award_type.name,
                "Cá nhân" if p.person_id else "Tập thể",
                p.person.name if p.person_id else (p.collective_name or p.unit.name),
                p.person.position if p.person_id else "",
                p.unit.name if p.unit_id else "",
                p.bloc.name if p.bloc_id else "",
                tally_words(p),
                STATUS_WORDS.get(p.status, p.status),
                # An unknown number or date says so in words; a blank cell would read as "not decided".
                p.decision.number_text if p.decision_id else "",
                (p.decision.date or p.decision.date_text) if p.decision_id else None,
                p.decision.signer if p.decision_id else "",
                p.conference_date,
                p.summary,
                p.award_reason,
            ],
        )
    for row in sheet.iter_rows(min_row=2, min_col=12, max_col=14):
        for cell in row:
            if cell.value is not None:
                cell.number_format = "DD/MM/YYYY"
    fit_columns(sheet, [5, 7, 34, 10, 40, 22, 36, 36, 20, 24, 16, 14, 28, 14, 50, 40])
    return workbook_bytes(workbook)


def award_list_filename(*, council: Council, year: int) -> str:
    place = fold(council.place_name).replace(" ", "-") or "council"
    return f"khen-thuong-{place}-{year}.xlsx"
