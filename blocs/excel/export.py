"""The council's export: its units, blocs, memberships and seats of all years, in one workbook; and the
units list as an officer filtered it (``unit_list_workbook``).

Its first sheet, "Đơn vị", has the units import's format (``blocs.excel.units.COLUMNS``), so an export
imports back with no changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import openpyxl
from django.utils.translation import gettext as _

from ..models import Bloc, Council, Membership, Seat, Unit
from ..text import fold
from . import add_sheet, fit_columns, sheet_append, workbook_bytes
from .units import COLUMN_BY_KEY, COLUMNS, UNIT_SHEET_WIDTHS, kind_label


def _title(key: str) -> str:
    return COLUMN_BY_KEY[key].title


def _unit_row(unit: Unit, membership: Membership | None, *, kind_labels: dict[str, str]) -> list[object]:
    """A row of the import format, as ``COLUMNS`` lists them."""
    row = [
        unit.code,
        unit.name,
        unit.short_name,
        unit.abbreviations,
        kind_labels[unit.kind],
        unit.head_name,
        unit.head_title,
        unit.contact,
    ]
    if membership is None:
        return [*row, None, None, None, None]
    return [*row, membership.bloc.code, membership.first_year, membership.last_year, membership.display_order]


def council_export_workbook(*, council: Council) -> bytes:
    """The council's units, blocs, memberships and seats of all years, in four sheets.

    "Đơn vị" comes first and has the import format, so the export imports back with no changes. Four
    queries, whatever the amount of data.
    """
    blocs = list(Bloc.objects.filter(council=council).order_by("sort_name", "id"))
    units = list(Unit.objects.filter(council=council).order_by("sort_name", "id"))
    memberships = list(
        Membership.objects.filter(bloc__council=council)
        .select_related("bloc", "unit")
        .order_by("bloc__sort_name", "bloc_id", "display_order", "unit__sort_name", "unit_id", "first_year")
    )
    seats = list(
        Seat.objects.filter(bloc__council=council)
        .select_related("bloc", "unit")
        .order_by("bloc__sort_name", "bloc_id", "year", "rank")
    )

    workbook = openpyxl.Workbook()
    unit_sheet = add_sheet(workbook, "Đơn vị", [c.title for c in COLUMNS], first=True)
    by_unit: dict[int, list[Membership]] = {}
    for m in sorted(memberships, key=lambda m: (m.bloc.sort_name, m.bloc_id, m.first_year)):
        by_unit.setdefault(m.unit_id, []).append(m)
    kind_labels = {kind.value: kind_label(kind) for kind in Unit.Kind}
    for unit in units:
        for membership in by_unit.get(unit.pk) or [None]:
            sheet_append(unit_sheet, _unit_row(unit, membership, kind_labels=kind_labels))
    fit_columns(unit_sheet, UNIT_SHEET_WIDTHS)

    bloc_sheet = add_sheet(workbook, "Khối", ["Mã khối", "Tên khối", "Loại", "Đang hoạt động"])
    for bloc in blocs:
        sheet_append(bloc_sheet, [bloc.code, bloc.name, bloc.get_kind_display(), _("yes") if bloc.active else _("no")])
    fit_columns(bloc_sheet, [12, 60, 22, 16])

    member_sheet = add_sheet(
        workbook,
        "Thành viên",
        ["Mã khối", "Tên khối", "Mã đơn vị", "Tên đơn vị", "Từ năm", "Đến năm", "Thứ tự"],
    )
    for m in memberships:
        sheet_append(
            member_sheet,
            [m.bloc.code, m.bloc.name, m.unit.code, m.unit.name, m.first_year, m.last_year, m.display_order],
        )
    fit_columns(member_sheet, [12, 50, 14, 45, 9, 9, 8])

    seat_sheet = add_sheet(
        workbook,
        "Chức danh",
        ["Mã khối", "Tên khối", "Năm", "Thứ bậc", "Chức danh", "Mã đơn vị", "Tên đơn vị"],
    )
    vice_counts: dict[tuple[int, int], int] = {}
    for seat in seats:
        if seat.rank > 0:
            vice_counts[(seat.bloc_id, seat.year)] = vice_counts.get((seat.bloc_id, seat.year), 0) + 1
    for seat in seats:
        label = seat.bloc.seat_label(seat.rank, vice_counts.get((seat.bloc_id, seat.year), 0))
        sheet_append(
            seat_sheet,
            [seat.bloc.code, seat.bloc.name, seat.year, seat.rank, label, seat.unit.code, seat.unit.name],
        )
    fit_columns(seat_sheet, [12, 50, 8, 9, 24, 14, 45])
    return workbook_bytes(workbook)


def council_export_filename(*, council: Council, today: datetime.date) -> str:
    """``thidua-an-giang-2021-02-02.xlsx``: ASCII, so every browser keeps it as it is."""
    place = fold(council.place_name).replace(" ", "-") or "council"
    return f"thidua-{place}-{today:%Y-%m-%d}.xlsx"


def unit_list_workbook(*, units: Iterable[Unit], year: int) -> bytes:
    """The units list as shown (its search, filters and order): a row per unit with its code, names,
    kind, its blocs and clusters of ``year`` and its head. ``units`` carry ``year_memberships`` (the
    list's prefetch, ``blocs.views.unit_list_query``), so the workbook reads nothing more."""
    workbook = openpyxl.Workbook()
    titles = [_title("code"), _title("name"), _title("short_name"), _title("kind")]
    sheet = add_sheet(
        workbook,
        "Đơn vị",
        [*titles, f"Khối, cụm năm {year}", _title("head_title"), _title("head_name"), "Đang hoạt động"],
        first=True,
    )
    kind_labels = {kind.value: kind_label(kind) for kind in Unit.Kind}
    for unit in units:
        memberships: list[Membership] = getattr(unit, "year_memberships", [])
        sheet_append(
            sheet,
            [
                unit.code,
                unit.name,
                unit.short_name,
                kind_labels[unit.kind],
                ", ".join(m.bloc.code for m in memberships),
                unit.head_title,
                unit.head_name,
                _("yes") if unit.active else _("no"),
            ],
        )
    fit_columns(sheet, [14, 60, 24, 28, 24, 28, 28, 16])
    return workbook_bytes(workbook)


def unit_list_filename(*, today: datetime.date) -> str:
    """``thidua-don-vi-2021-02-02.xlsx``: ASCII, so every browser keeps it as it is."""
    return f"thidua-don-vi-{today:%Y-%m-%d}.xlsx"
