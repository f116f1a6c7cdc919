"""The units import: officers import units and their memberships of blocs from the first sheet of a workbook.

The import runs in two steps, because an officer must see what a sheet will do before anything is written:

1. ``units_import_parse`` reads the first sheet (through the toolkit's bounded ``sheet_open``), converts
   and validates every cell and every row against the database, and returns an ``ImportPlan``: either the
   list of problems (one per bad cell) or what each row will create, change or leave as it is. Nothing is
   written.
2. ``units_import_apply`` checks a valid plan once more as a whole, in memory (the models' field checks,
   codes, every unit's periods in a bloc), then writes it in bulk with its history rows, in one
   transaction: all or nothing, in a fixed number of queries.

Between the steps the view keeps ``ImportPlan.session_data()`` (the cleaned cell values, plain JSON) in
the session, and ``units_import_load`` validates it again at confirm time, since the database may have
changed in between and web processes keep no state of their own.

The sheet's column titles are Vietnamese data (the officers' own words), not translated strings; they are
matched ignoring case, diacritics and punctuation, so "MÃ ĐƠN VỊ", "ma don vi" and "Mã đơn vị (*)" all
name the unit-code column. ``blocs.excel.export`` writes the "Đơn vị" sheet in exactly this format, so an
export imports back with no changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..history import with_history_user
from ..models import FIRST_YEAR, LAST_YEAR, Bloc, Council, Membership, Unit, User
from ..text import code_key, fold, nfc
from . import (
    HEADER_SEARCH_ROWS,
    NOT_A_NUMBER,
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

# Recorded on every history entry the import writes. Stored data, like the column titles, so Vietnamese.
CHANGE_REASON = "Nhập từ Excel"
# Rows per INSERT / UPDATE statement of the write (SQLite's bound-parameter limit stays far off).
WRITE_BATCH = 500

# ----------------------------------------------------------------------------------------------------
# The sheet's columns
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the Unit field, or the membership value, the column fills
    title: str  # the Vietnamese header written in the template and the export
    kind: str  # how a cell is read: "text", "kind", "year" or "order"
    max_length: int | None = None


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã đơn vị", "text", _max_length(Unit, "code")),
    Column("name", "Tên đầy đủ", "text", _max_length(Unit, "name")),
    Column("short_name", "Tên viết tắt", "text", _max_length(Unit, "short_name")),
    Column("abbreviations", "Tên gọi khác", "text", _max_length(Unit, "abbreviations")),
    Column("kind", "Loại", "kind"),
    Column("head_name", "Họ tên thủ trưởng", "text", _max_length(Unit, "head_name")),
    Column("head_title", "Chức vụ thủ trưởng", "text", _max_length(Unit, "head_title")),
    Column("contact", "Liên hệ", "text", _max_length(Unit, "contact")),
    Column("bloc_code", "Mã khối", "text", _max_length(Bloc, "code")),
    Column("first_year", "Từ năm", "year"),
    Column("last_year", "Đến năm", "year"),
    Column("display_order", "Thứ tự", "order"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_COLUMN_BY_FOLDED_TITLE = {fold(c.title): c for c in COLUMNS}
_COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
# The unit's own fields; the other columns describe the row's membership.
UNIT_FIELDS = ("name", "short_name", "abbreviations", "kind", "head_name", "head_title", "contact")
MEMBERSHIP_FIELDS = ("bloc_code", "first_year", "last_year", "display_order")
DEFAULT_DISPLAY_ORDER: int = Membership._meta.get_field("display_order").default
MAX_DISPLAY_ORDER = 32767  # PositiveSmallIntegerField on every database


def _title(key: str) -> str:
    return COLUMN_BY_KEY[key].title


class ImportIssue(SheetIssue):
    """A problem of the units sheet, its column named by the title of ``COLUMNS``."""

    column_titles = {c.key: c.title for c in COLUMNS}


Issues = IssueCollector[ImportIssue]


# ----------------------------------------------------------------------------------------------------
# Problems, and what the import will do
# ----------------------------------------------------------------------------------------------------


class Action(models.TextChoices):
    CREATE = "create", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Changed")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")

    @property
    def tone(self) -> str:
        """The colour of the action's badge in the preview (templates/includes/status_badge.html)."""
        return {"create": "success", "update": "warning"}.get(self.value, "light")


@dataclass
class SheetRow:
    """A data row of the sheet: its number as Excel shows it and its cleaned cell values."""

    number: int
    values: dict[str, Any]  # column key -> str (text columns, "" when empty) or int or None


class _Planned:
    """What a plan's ``action`` shows in the preview: its words and the colour of its badge."""

    action: str

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    @property
    def action_tone(self) -> str:
        return Action(self.action).tone


@dataclass
class UnitPlan(_Planned):
    code: str
    row: int  # the first row naming the unit
    action: str
    values: dict[str, str]  # to write: every given field of a new unit, the changed fields of an old one
    pk: int | None = None
    name: str = ""  # for the preview

    @property
    def changed_columns(self) -> list[str]:
        return [_title(key) for key in UNIT_FIELDS if key in self.values] if self.action == Action.UPDATE else []


@dataclass
class MembershipPlan(_Planned):
    row: int
    unit_code: str
    bloc_id: int
    bloc_code: str
    first_year: int
    last_year: int | None
    display_order: int
    action: str
    pk: int | None = None
    was: tuple[int | None, int] | None = None  # (last year, order) before an update, for the preview

    @property
    def changed(self) -> bool:
        return self.action != Action.UNCHANGED

    @property
    def shortens(self) -> bool:
        """An update that ends the period earlier: written first, so it frees years others may take."""
        if self.was is None:
            return False
        old_last = self.was[0]
        return self.last_year is not None and (old_last is None or self.last_year < old_last)


@dataclass
class PreviewRow:
    number: int
    unit: UnitPlan
    unit_first_row: bool  # the unit's action is shown on its first row only
    membership: MembershipPlan | None

    @property
    def changes(self) -> bool:
        unit_changes = self.unit_first_row and self.unit.action != Action.UNCHANGED
        return unit_changes or bool(self.membership and self.membership.changed)


@dataclass
class ImportPlan:
    council: Council
    columns: list[str] = field(default_factory=list)  # keys of the columns the sheet has
    rows: list[SheetRow] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    memberships: list[MembershipPlan] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.issues

    @property
    def has_changes(self) -> bool:
        return any(u.action != Action.UNCHANGED for u in self.units) or any(m.changed for m in self.memberships)

    def counts(self) -> dict[str, int]:
        def count(items: Iterable[UnitPlan | MembershipPlan], action: str) -> int:
            return sum(1 for item in items if item.action == action)

        return {
            "units_created": count(self.units, Action.CREATE),
            "units_updated": count(self.units, Action.UPDATE),
            "units_unchanged": count(self.units, Action.UNCHANGED),
            "memberships_created": count(self.memberships, Action.CREATE),
            "memberships_updated": count(self.memberships, Action.UPDATE),
            "memberships_unchanged": count(self.memberships, Action.UNCHANGED),
        }

    def preview_rows(self) -> list[PreviewRow]:
        units = {u.code: u for u in self.units}
        memberships = {m.row: m for m in self.memberships}
        result = []
        for row in self.rows:
            unit = units.get(row.values.get("code") or "")
            if unit is not None:
                result.append(PreviewRow(row.number, unit, unit.row == row.number, memberships.get(row.number)))
        return result

    def session_data(self) -> dict[str, Any]:
        """The cleaned rows as JSON-safe data, to validate again and write at confirm time.

        Each row is ``[number, value of each of the columns]``: 5000 rows take about 1 MB of session.
        """
        return {
            "council": self.council.pk,
            "columns": self.columns,
            "rows": [[row.number, *(row.values.get(key) for key in self.columns)] for row in self.rows],
            "ignored": self.ignored_headers,
        }


@dataclass
class ImportResult:
    units_created: int = 0
    units_updated: int = 0
    memberships_created: int = 0
    memberships_updated: int = 0


# ----------------------------------------------------------------------------------------------------
# Reading the file
# ----------------------------------------------------------------------------------------------------


def units_import_parse(*, council: Council, file: IO[bytes]) -> ImportPlan:
    """Read an uploaded .xlsx file and validate every row against ``council``'s data. Writes nothing."""
    issues = IssueCollector(ImportIssue)
    try:
        with sheet_open(file) as sheet:
            columns, rows, ignored = _read_sheet(sheet, issues=issues)
    except WorkbookRefused as refusal:  # the file as a whole: its one problem, whatever was read before
        return ImportPlan(council=council, issues=[ImportIssue(refusal.message)])
    if not rows:  # the sheet or its header row is unusable: there is nothing more to check
        return ImportPlan(council=council, issues=issues.sorted())
    # Cells that could not be read are already reported; check the rest too, so one upload shows all.
    return _build_plan(council=council, columns=columns, rows=rows, ignored=ignored, issues=issues)


def units_import_load(*, council: Council, data: dict[str, Any]) -> ImportPlan:
    """Rebuild and validate again a plan kept by ``ImportPlan.session_data()``."""
    if data.get("council") != council.pk:
        raise ValueError("The kept import belongs to another council.")
    columns = list(data["columns"])
    rows = [SheetRow(number=number, values=dict(zip(columns, values, strict=True))) for number, *values in data["rows"]]
    return _build_plan(
        council=council,
        columns=columns,
        rows=rows,
        ignored=list(data["ignored"]),
        issues=IssueCollector(ImportIssue),
    )


def _read_sheet(sheet: Any, *, issues: Issues) -> tuple[list[str], list[SheetRow], list[str]]:
    lines = sheet_rows(sheet)

    header: dict[int, Column] = {}  # cell position -> column
    ignored: list[str] = []
    filled = 0  # rows with something in them, read while looking for the header
    for number, cells in lines:
        if all(is_blank(cell) for cell in cells):
            continue
        filled += 1
        if fold(_title("code")) in [fold(str(cell)) for cell in cells if cell is not None]:
            header, ignored = _read_header(cells, number=number, issues=issues)
            break
        if filled == HEADER_SEARCH_ROWS:
            break
    if issues:
        return [], [], []
    if not filled:
        issues.add(_("The first sheet of the workbook is empty."))
        return [], [], []
    if not header:
        issues.add(
            _(
                "The first sheet lacks the required columns: %(columns)s. "
                "Its first row must hold the column titles of the template."
            )
            % {"columns": _title("code")}
        )
        return [], [], []

    kinds = _unit_kinds()
    read = sheet_values(
        lines,
        header,
        read=lambda raw, column, number: _read_cell(raw, column=column, row=number, kinds=kinds, issues=issues),
        key=lambda column: column.key,
        issues=issues,
    )
    if read is None:  # more than MAX_ROWS rows: the issue is added
        return [], [], []
    rows = [SheetRow(number=number, values=values) for number, values in read]
    if not rows and not issues:
        issues.add(_("The sheet has no rows under its header row."))
    columns = [c.key for c in COLUMNS if c in header.values()]
    return columns, rows, ignored


def _read_header(cells: tuple[object, ...], *, number: int, issues: Issues) -> tuple[dict[int, Column], list[str]]:
    header: dict[int, Column] = {}
    ignored: list[str] = []
    for position, cell in enumerate(cells):
        if is_blank(cell):
            continue
        column = _COLUMN_BY_FOLDED_TITLE.get(fold(str(cell)))
        if column is None:
            ignored.append(nfc(str(cell)))
        elif column in header.values():
            issues.add(
                _("Row %(row)s: the column “%(column)s” appears twice; keep one of them.")
                % {"row": number, "column": column.title}
            )
        else:
            header[position] = column
    present = {c.key for c in header.values()}
    # A bloc code alone cannot make a membership; the first year must come with it.
    if "bloc_code" in present and "first_year" not in present:
        issues.add(
            _("The sheet has the column “%(bloc)s” but not “%(first)s”; a membership needs both.")
            % {"bloc": _title("bloc_code"), "first": _title("first_year")}
        )
    return header, ignored


def _read_cell(raw: object, *, column: Column, row: int, kinds: dict[str, str], issues: Issues) -> str | int | None:
    if column.kind == "text":
        return cell_text_within(raw, limit=column.max_length, issues=issues, row=row, column=column.key)
    if column.kind == "kind":
        text = cell_text(raw)
        if not text:
            return ""
        kind = kinds.get(fold(text))
        if kind is None:
            issues.add(
                _("unknown kind “%(value)s”; use one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(kind_label(k) for k in Unit.Kind)},
                row=row,
                column=column.key,
            )
            return ""
        return kind
    number = cell_int(raw)
    if column.kind == "year":
        if number is NOT_A_NUMBER:
            issues.add(_("must be a year (a number), e.g. 2021"), row=row, column=column.key)
            return None
        if number is not None and not FIRST_YEAR <= number <= LAST_YEAR:
            issues.add(
                _("must be a year from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                row=row,
                column=column.key,
            )
            return None
        return number
    # "order"
    if number is NOT_A_NUMBER or (number is not None and not 0 <= number <= MAX_DISPLAY_ORDER):
        issues.add(
            _("must be a whole number from 0 to %(max)s (smaller numbers come first)") % {"max": MAX_DISPLAY_ORDER},
            row=row,
            column=column.key,
        )
        return None
    return number


def kind_label(kind: str, language: str = "vi") -> str:
    with translation.override(language):
        return str(Unit.Kind(kind).label)


def _unit_kinds() -> dict[str, str]:
    """Folded value, Vietnamese label and English label of each unit kind -> the kind."""
    result = {}
    for kind in Unit.Kind:
        for name in (kind.value, kind_label(kind, "vi"), kind_label(kind, "en")):
            result.setdefault(fold(name), kind.value)
    return result


# ----------------------------------------------------------------------------------------------------
# Validating the rows against the database
# ----------------------------------------------------------------------------------------------------


def _build_plan(
    *, council: Council, columns: list[str], rows: list[SheetRow], ignored: list[str], issues: Issues
) -> ImportPlan:
    """Check every row against the council's data and work out what each will do. Reads, never writes.

    A fixed number of queries, whatever the number of rows: the council's units, blocs and memberships
    are read once and the checks run in memory.
    """
    existing_units = {u.code: u for u in Unit.objects.filter(council=council)}
    blocs = {b.code: b for b in Bloc.objects.filter(council=council).order_by("sort_name", "id")}
    memberships: dict[tuple[int, int], list[Membership]] = {}
    for m in Membership.objects.filter(bloc__council=council).order_by("first_year"):
        memberships.setdefault((m.bloc_id, m.unit_id), []).append(m)

    rows_by_code: dict[str, list[SheetRow]] = {}
    for row in rows:
        code = row.values.get("code") or ""
        if code:
            rows_by_code.setdefault(code, []).append(row)
        elif not issues.has(row.number, "code"):
            issues.add(_("is empty; every row names a unit by its code"), row=row.number, column="code")

    _check_codes(rows_by_code=rows_by_code, existing=existing_units, issues=issues)
    units = [
        _plan_unit(council=council, code=code, rows=code_rows, existing=existing_units.get(code), issues=issues)
        for code, code_rows in rows_by_code.items()
    ]
    membership_plans = _plan_memberships(
        rows=rows,
        columns=columns,
        units=existing_units,
        blocs=blocs,
        memberships=memberships,
        issues=issues,
    )
    _check_overlaps(plans=membership_plans, units=existing_units, memberships=memberships, issues=issues)
    return ImportPlan(
        council=council,
        columns=columns,
        rows=rows,
        units=units,
        memberships=membership_plans,
        issues=issues.sorted(),
        ignored_headers=ignored,
    )


def _check_codes(*, rows_by_code: dict[str, list[SheetRow]], existing: dict[str, Unit], issues: Issues) -> None:
    """Codes differing only in capitals, accents or punctuation ("lhpn", "LHPN") are typos, not new units."""
    folded: dict[str, tuple[str, int | None]] = {fold(code): (code, None) for code in existing}
    for code, code_rows in rows_by_code.items():
        if code in existing:
            continue
        first = code_rows[0].number
        other = folded.get(fold(code))
        if other is None:
            folded[fold(code)] = (code, first)
        elif other[1] is None:
            issues.add(
                _("no unit has the code “%(code)s”, but unit “%(other)s” exists; write its code exactly")
                % {"code": code, "other": other[0]},
                row=first,
                column="code",
            )
        else:
            issues.add(
                _(
                    "“%(code)s” and “%(other)s” on row %(row)s differ only in capitals, accents or "
                    "punctuation; use one code for one unit"
                )
                % {"code": code, "other": other[0], "row": other[1]},
                row=first,
                column="code",
            )


def _plan_unit(*, council: Council, code: str, rows: list[SheetRow], existing: Unit | None, issues: Issues) -> UnitPlan:
    first_row = rows[0].number
    # A unit may fill several rows (one per membership); what they give of the unit must agree.
    given: dict[str, tuple[str, int]] = {}  # field -> (value, row giving it first)
    for row in rows:
        for key in UNIT_FIELDS:
            value = row.values.get(key) or ""
            if not value:
                continue
            if key not in given:
                given[key] = (value, row.number)
            elif given[key][0] != value:
                shown = kind_label(given[key][0]) if key == "kind" else given[key][0]
                issues.add(
                    _("differs from row %(row)s (“%(value)s”) for the same unit; its rows must agree")
                    % {"row": given[key][1], "value": shown},
                    row=row.number,
                    column=key,
                )
    values = {key: value for key, (value, _row) in given.items()}

    if existing is None:
        if "name" not in values:
            issues.add(_("is required for a new unit"), row=first_row, column="name")
        candidate = Unit(council=council, code=code, **values)
        plan = UnitPlan(code=code, row=first_row, action=Action.CREATE, values=values, name=values.get("name", ""))
    else:
        # Empty cells keep what is stored; only given values that differ are changes.
        changed = {key: value for key, value in values.items() if getattr(existing, key) != value}
        candidate = existing
        for key, value in changed.items():
            setattr(candidate, key, value)
        plan = UnitPlan(
            code=code,
            row=first_row,
            action=Action.UPDATE if changed else Action.UNCHANGED,
            values=changed,
            pk=existing.pk,
            name=candidate.name,
        )
    # The model's own field checks, without queries: the foreign keys (which ForeignKey.validate would
    # look up) are known, and uniqueness is checked by full_clean() at write time.
    try:
        candidate.full_clean(exclude=["council", "successor"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = name if name in COLUMN_BY_KEY else None
            row = given[name][1] if name in given else first_row
            issues.add(messages[0], row=row, column=column)
    return plan


def _plan_memberships(
    *,
    rows: list[SheetRow],
    columns: list[str],
    units: dict[str, Unit],
    blocs: dict[str, Bloc],
    memberships: dict[tuple[int, int], list[Membership]],
    issues: Issues,
) -> list[MembershipPlan]:
    plans: list[MembershipPlan] = []
    seen: dict[tuple[int, str, int], int] = {}  # (bloc, unit code, first year) -> row
    for row in rows:
        code = row.values.get("code") or ""
        if not code:
            continue
        if any(issues.has(row.number, key) for key in MEMBERSHIP_FIELDS):
            continue  # its cells are reported already; a guess at the period would only add noise
        bloc = _row_bloc(row, blocs=blocs, issues=issues)
        if bloc is None:
            continue
        first = row.values.get("first_year")
        last = row.values.get("last_year")
        if first is None:
            if not issues.has(row.number, "first_year"):
                issues.add(_("is required when the row names a bloc"), row=row.number, column="first_year")
            continue
        if last is not None and last < first:
            issues.add(
                _("cannot be before the first year (%(first)s)") % {"first": first},
                row=row.number,
                column="last_year",
            )
            continue
        key = (bloc.pk, code, first)
        if key in seen:
            issues.add(
                _("row %(row)s already gives this unit's membership of %(bloc)s from %(first)s")
                % {"row": seen[key], "bloc": bloc.code, "first": first},
                row=row.number,
                column="first_year",
            )
            continue
        seen[key] = row.number

        unit = units.get(code)
        current = None
        if unit is not None:
            current = next((m for m in memberships.get((bloc.pk, unit.pk), []) if m.first_year == first), None)
        plans.append(_membership_plan(row, bloc=bloc, current=current, columns=columns))
    return plans


def _row_bloc(row: SheetRow, *, blocs: dict[str, Bloc], issues: Issues) -> Bloc | None:
    """The bloc a row names, or None: it names none (then its period cells must be empty) or an unknown one."""
    bloc_code = row.values.get("bloc_code") or ""
    if not bloc_code:
        for key in ("first_year", "last_year", "display_order"):
            if row.values.get(key) is not None:
                issues.add(
                    _("is filled in but the row names no bloc: fill in “%(bloc)s” or clear this cell")
                    % {"bloc": _title("bloc_code")},
                    row=row.number,
                    column=key,
                )
        return None
    bloc = blocs.get(bloc_code)
    if bloc is None:
        known = ", ".join(list(blocs)[:20]) or "—"
        issues.add(
            _("there is no bloc with the code “%(code)s” in this council (its blocs: %(known)s)")
            % {"code": bloc_code, "known": known},
            row=row.number,
            column="bloc_code",
        )
    return bloc


def _membership_plan(row: SheetRow, *, bloc: Bloc, current: Membership | None, columns: list[str]) -> MembershipPlan:
    """What a checked row does to the membership of its unit and bloc from its first year (``current``)."""
    last = row.values.get("last_year")
    order = row.values.get("display_order")
    plan = MembershipPlan(
        row=row.number,
        unit_code=row.values["code"],
        bloc_id=bloc.pk,
        bloc_code=bloc.code,
        first_year=row.values["first_year"],
        last_year=last,
        display_order=DEFAULT_DISPLAY_ORDER if order is None else order,
        action=Action.CREATE,
    )
    if current is not None:
        # The row's last year is the period's end (empty: still a member), but only when the sheet
        # has the column at all; an empty order keeps the stored one.
        plan.last_year = last if "last_year" in columns else current.last_year
        plan.display_order = current.display_order if order is None else order
        plan.pk = current.pk
        plan.was = (current.last_year, current.display_order)
        same = (plan.last_year, plan.display_order) == plan.was
        plan.action = Action.UNCHANGED if same else Action.UPDATE
    return plan


def _overlap(a_first: int, a_last: int | None, b_first: int, b_last: int | None) -> bool:
    return a_first <= (b_last if b_last is not None else LAST_YEAR) and b_first <= (
        a_last if a_last is not None else LAST_YEAR
    )


def _period(first: int, last: int | None) -> str:
    return f"{first}–{last if last is not None else '…'}"


def _check_overlaps(
    *,
    plans: list[MembershipPlan],
    units: dict[str, Unit],
    memberships: dict[tuple[int, int], list[Membership]],
    issues: Issues,
) -> None:
    """A unit's periods in a bloc must not overlap once the whole sheet is applied.

    ``Membership.clean`` checks one row against the database at write time; this checks the sheet's rows
    against each other and against the stored periods the sheet leaves as they are, before anything is
    written, so every clash is reported at once.
    """
    by_pair: dict[tuple[int, str], list[MembershipPlan]] = {}
    for plan in plans:
        by_pair.setdefault((plan.bloc_id, plan.unit_code), []).append(plan)
    for (bloc_id, code), pair_plans in by_pair.items():
        unit = units.get(code)
        in_sheet = {p.pk for p in pair_plans if p.pk}
        stored = [m for m in memberships.get((bloc_id, unit.pk), []) if m.pk not in in_sheet] if unit else []
        for index, plan in enumerate(pair_plans):
            if issues.has(plan.row, "first_year"):
                continue
            for other in pair_plans[:index]:
                if (plan.changed or other.changed) and _overlap(
                    plan.first_year, plan.last_year, other.first_year, other.last_year
                ):
                    issues.add(
                        _("the period %(period)s overlaps row %(row)s (%(other)s) of the same unit and bloc")
                        % {
                            "period": _period(plan.first_year, plan.last_year),
                            "row": other.row,
                            "other": _period(other.first_year, other.last_year),
                        },
                        row=plan.row,
                        column="first_year",
                    )
                    break
            if not plan.changed or issues.has(plan.row, "first_year"):
                continue
            clash = next(
                (m for m in stored if _overlap(plan.first_year, plan.last_year, m.first_year, m.last_year)),
                None,
            )
            if clash is not None:
                issues.add(
                    _(
                        "the period %(period)s overlaps the membership of this unit in this bloc "
                        "already recorded for %(other)s"
                    )
                    % {
                        "period": _period(plan.first_year, plan.last_year),
                        "other": _period(clash.first_year, clash.last_year),
                    },
                    row=plan.row,
                    column="first_year",
                )


# ----------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------


def _mark(instance: models.Model, by: User | None) -> None:
    """Say in the history who wrote this and that it came from Excel (read by django-simple-history)."""
    instance._change_reason = CHANGE_REASON
    with_history_user(instance, by)


def _failure(error: Exception, *, row: int) -> ImportWriteError:
    if isinstance(error, ValidationError):
        message = " ".join(str(m) for m in error.messages)
    else:
        message = _("the database refused the change (%(error)s)") % {"error": error}
    return ImportWriteError(ImportIssue(message, row=row))


def units_import_apply(*, plan: ImportPlan, by: User | None) -> ImportResult:
    """Write a valid plan in one transaction: every unit and membership, or nothing.

    The whole plan is checked first, in memory, against the rows read once (the model's field checks,
    code uniqueness, each unit's periods in a bloc as the writes leave them), then written in bulk with its
    history rows: a fixed number of queries whatever the number of rows. Raises ``ImportWriteError``
    (after the rollback) naming the first row that fails. Rows that change nothing are not written, so
    they add no history.
    """
    if not plan.is_valid:
        raise ValueError("Only a plan without issues can be applied.")
    result = ImportResult()
    with transaction.atomic():
        units, created, updated, fields = _units_prepare(plan=plan, by=by)
        memberships = _memberships_prepare(plan=plan, units=units, by=by)
        try:
            _units_write(created=created, updated=updated, fields=fields)
        except DatabaseError as error:
            raise _failure(error, row=min(u.row for u in plan.units if u.action != Action.UNCHANGED)) from error
        for membership in memberships.created:
            membership.unit_id = membership.unit.pk  # a new unit has its id only now
        try:
            _memberships_write(memberships)
        except DatabaseError as error:
            raise _failure(error, row=memberships.first_row) from error
        result.units_created, result.units_updated = len(created), len(updated)
        result.memberships_created = len(memberships.created)
        result.memberships_updated = len(memberships.updated)
    return result


def _units_prepare(*, plan: ImportPlan, by: User | None) -> tuple[dict[str, Unit], list[Unit], list[Unit], set[str]]:
    """The plan's units as they will be written: (every unit by code, new ones, changed ones, changed fields).
    Two queries: the units, and the codes a new unit would take."""
    codes = [u.code for u in plan.units]
    units = {u.code: u for u in Unit.objects.filter(council=plan.council, code__in=codes)}
    created: list[Unit] = []
    updated: list[Unit] = []
    fields: set[str] = set()
    new_keys = {code_key(u.code): u for u in plan.units if u.action == Action.CREATE}
    taken = set(
        Unit.objects.filter(council=plan.council, code_key__in=list(new_keys)).values_list("code_key", flat=True)
    )
    for unit_plan in plan.units:
        if unit_plan.action == Action.UNCHANGED:
            continue
        unit = units.get(unit_plan.code)
        if unit_plan.action == Action.CREATE:
            unit = Unit(council=plan.council, code=unit_plan.code)
        elif unit is None:
            raise ImportWriteError(
                ImportIssue(_("the unit was deleted in the meantime; upload the file again"), row=unit_plan.row)
            )
        for key, value in unit_plan.values.items():
            setattr(unit, key, value)
        _mark(unit, by)
        try:
            # The field checks of full_clean(); the foreign keys are the plan's council, uniqueness is below.
            unit.full_clean(exclude=["council", "successor"], validate_unique=False, validate_constraints=False)
            if unit_plan.action == Action.CREATE and code_key(unit.code) in taken:
                raise ValidationError({"code": [Unit.code_taken_message]})
        except ValidationError as error:
            raise _failure(error, row=unit_plan.row) from error
        unit.keys_compute()  # a bulk write skips save()
        units[unit.code] = unit
        if unit_plan.action == Action.CREATE:
            created.append(unit)
        else:
            updated.append(unit)
            fields.update(unit_plan.values)
    return units, created, updated, fields


def _units_write(*, created: list[Unit], updated: list[Unit], fields: set[str]) -> None:
    if created:
        bulk_create_with_history(created, Unit, batch_size=WRITE_BATCH)
    if updated:
        keys = sorted(fields | {"code_key", "search_text", "sort_name"})
        bulk_update_with_history(updated, Unit, keys, batch_size=WRITE_BATCH)


@dataclass
class _MembershipWrites:
    created: list[Membership] = field(default_factory=list)
    updated: list[Membership] = field(default_factory=list)
    first_row: int = 0


def _memberships_prepare(*, plan: ImportPlan, units: dict[str, Unit], by: User | None) -> _MembershipWrites:
    """The plan's memberships as they will be written, each checked as ``Membership.clean`` would at its
    turn, against its unit's periods in the bloc with the earlier writes applied. Three queries: the blocs,
    the units' rows locked, their memberships."""
    blocs = {b.pk: b for b in Bloc.objects.filter(council=plan.council)}
    # Writes of one unit's memberships queue on the unit's row (as services.membership_save does), so the
    # checks below see what another request just saved.
    unit_ids = sorted({units[m.unit_code].pk for m in plan.memberships if m.changed and units[m.unit_code].pk})
    list(Unit.objects.select_for_update(no_key=True).filter(pk__in=unit_ids).values_list("pk", flat=True))
    code_by_pk = {unit.pk: code for code, unit in units.items() if unit.pk}
    periods: dict[tuple[int, str], list[Membership]] = {}  # (bloc, unit code) -> its periods
    stored: dict[int, Membership] = {}
    for m in Membership.objects.filter(bloc__council=plan.council, unit_id__in=unit_ids).order_by("pk"):
        stored[m.pk] = m
        periods.setdefault((m.bloc_id, code_by_pk[m.unit_id]), []).append(m)
    writes = _MembershipWrites()
    # Shortened periods first, so that a period the sheet moves into their years finds them free.
    changed = [m for m in plan.memberships if m.changed]
    changed.sort(key=lambda m: (m.action != Action.UPDATE, not m.shortens, m.row))
    for membership_plan in changed:
        writes.first_row = writes.first_row or membership_plan.row
        unit = units[membership_plan.unit_code]
        if membership_plan.action == Action.UPDATE:
            membership = stored.get(membership_plan.pk)
            if membership is None:
                raise ImportWriteError(
                    ImportIssue(
                        _("the membership was deleted in the meantime; upload the file again"),
                        row=membership_plan.row,
                    )
                )
        else:
            membership = Membership(first_year=membership_plan.first_year)
        membership.bloc = blocs[membership_plan.bloc_id]
        membership.unit = unit
        membership.last_year = membership_plan.last_year
        membership.display_order = membership_plan.display_order
        _mark(membership, by)
        others = periods.setdefault((membership.bloc_id, membership_plan.unit_code), [])
        try:
            _membership_check(membership=membership, others=others)
        except ValidationError as error:
            raise _failure(error, row=membership_plan.row) from error
        if membership_plan.action == Action.UPDATE:
            writes.updated.append(membership)
        else:
            others.append(membership)
            writes.created.append(membership)
    return writes


def _membership_check(*, membership: Membership, others: list[Membership]) -> None:
    """``Membership.full_clean()`` without its queries: the field checks, the years in order, the unit of
    the bloc's council, and no overlap with the unit's other periods in the bloc (``others``, as written
    so far)."""
    membership.clean_fields(exclude=["bloc", "unit"])
    if membership.last_year is not None and membership.last_year < membership.first_year:
        raise ValidationError({"last_year": _("The last year cannot be before the first year.")})
    if membership.unit.council_id != membership.bloc.council_id:
        raise ValidationError({"unit": _("The unit belongs to another council.")})
    for other in others:
        if other is membership or (other.pk is not None and other.pk == membership.pk):
            continue
        if _overlap(membership.first_year, membership.last_year, other.first_year, other.last_year):
            raise ValidationError(
                {
                    "first_year": _("This unit is already a member of the bloc from %(first)s to %(last)s.")
                    % {"first": other.first_year, "last": other.last_year or "…"}
                }
            )


def _memberships_write(writes: _MembershipWrites) -> None:
    if writes.updated:
        bulk_update_with_history(writes.updated, Membership, ["last_year", "display_order"], batch_size=WRITE_BATCH)
    if writes.created:
        bulk_create_with_history(writes.created, Membership, batch_size=WRITE_BATCH)


# ----------------------------------------------------------------------------------------------------
# Workbooks: the import template and the council's export
# ----------------------------------------------------------------------------------------------------


UNIT_SHEET_WIDTHS = [14, 45, 22, 22, 26, 24, 22, 26, 12, 9, 9, 8]


def units_import_template_workbook(*, council: Council) -> bytes:
    """An empty import sheet: the header row, one example row, and a guide sheet listing kinds and blocs."""
    workbook = openpyxl.Workbook()
    sheet = add_sheet(workbook, "Đơn vị", [c.title for c in COLUMNS], first=True)
    example_bloc = Bloc.objects.filter(council=council).order_by("sort_name", "id").first()
    sheet_append(
        sheet,
        [
            "SNV",
            "Sở Nội vụ tỉnh",
            "Sở Nội vụ",
            "SNV, Sở NV",
            kind_label(Unit.Kind.AGENCY),
            "Nguyễn Văn An",
            "Giám đốc",
            "0296 3852 123",
            example_bloc.code if example_bloc else "KTĐ1",
            council.current_year,
            None,
            10,
        ],
    )
    fit_columns(sheet, UNIT_SHEET_WIDTHS)

    lines = [
        (_("How to fill in"), ""),
        ("", _("Only the first sheet is read. Keep its first row of column titles; one unit per row.")),
        (
            "",
            _(
                "A unit with memberships of several blocs or periods takes one row per membership; "
                "its other columns must agree on every row."
            ),
        ),
        (
            "",
            _(
                "An existing unit (same code) is updated with the cells that are filled in; empty cells "
                "keep what is stored."
            ),
        ),
        (
            "",
            _(
                "Empty “%(last)s”: the unit is still a member. Empty “%(order)s”: keep the stored order "
                "(%(default)s for a new membership)."
            )
            % {
                "last": _title("last_year"),
                "order": _title("display_order"),
                "default": DEFAULT_DISPLAY_ORDER,
            },
        ),
        ("", _("Delete the example row before importing.")),
        ("", ""),
        (_("Columns"), ""),
        (_title("code"), _("Required. The unit's code, unique in the council.")),
        (_title("name"), _("Required for a new unit.")),
        (_title("abbreviations"), _("Comma-separated, e.g. “LHPN, Hội Phụ nữ”.")),
        (_title("kind"), _("One of the kinds below.")),
        (_title("bloc_code"), _("Optional: the code of one of the council's blocs below.")),
        (_title("first_year"), _("Required with a bloc code: the first year of the membership.")),
        (_title("last_year"), _("Optional: the last year of the membership.")),
        (_title("display_order"), _("Protocol order in the bloc: smaller first.")),
        ("", ""),
        (_("Kinds"), ""),
        *[("", kind_label(kind)) for kind in Unit.Kind],
        ("", ""),
        (_("Blocs"), ""),
        *[(b.code, b.name) for b in Bloc.objects.filter(council=council).order_by("sort_name", "id")],
    ]
    guide_sheet_add(workbook, lines, label_width=24)
    return workbook_bytes(workbook)
