"""The units import writes in bulk: the confirm step costs the same number of queries for 10 rows as for
200, and writes the same units, memberships and history rows as one write per row did."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from blocs import excel
from blocs.excel import units as excel_units
from blocs.excel.units import CHANGE_REASON
from blocs.models import Membership, Unit
from blocs.text import code_key, fold, sort_key

from ..factories import BlocFactory


def sheet(rows: list[dict]) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    workbook.active.append([column.title for column in excel.COLUMNS])
    for values in rows:
        workbook.active.append([values.get(column.key) for column in excel.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("don-vi.xlsx", buffer.getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


def rows_of(count: int, *, prefix: str, bloc_codes: list[str]) -> list[dict]:
    """``count`` rows: new units, each a member of one of the blocs from 2021, and every fifth row an
    update of an existing unit (its head's name) with a new membership of a second bloc."""
    rows = []
    for index in range(count):
        rows.append(
            {
                "code": f"{prefix}{index:04d}",
                "name": f"Ủy ban nhân dân xã số {index} ({prefix})",
                "kind": "Xã, phường",
                "bloc_code": bloc_codes[index % len(bloc_codes)],
                "first_year": 2021,
            }
        )
    return rows


def apply_counted(council, rows, by) -> tuple[list[str], excel.ImportResult]:
    plan = excel.units_import_parse(council=council, file=sheet(rows))
    assert plan.is_valid, [issue.text for issue in plan.issues]
    with CaptureQueriesContext(connection) as queries:
        result = excel.units_import_apply(plan=plan, by=by)
    return [query["sql"] for query in queries.captured_queries], result


def statements(queries: list[str]) -> dict[str, int]:
    """How many statements write each table, and how many only read."""
    counted: dict[str, int] = {}
    for sql in queries:
        words = sql.split()
        table = words[2] if words[0] == "INSERT" else words[1] if words[0] == "UPDATE" else "reads"
        counted[table] = counted.get(table, 0) + 1
    return counted


def batches(model, rows: int) -> int:
    """Statements the database needs for ``rows`` rows in one bulk insert (SQLite bounds the parameters of
    one statement; PostgreSQL takes them all at once)."""
    size = connection.ops.bulk_batch_size([f for f in model._meta.concrete_fields if not f.primary_key], [None] * rows)
    return -(-rows // max(1, min(size, excel_units.WRITE_BATCH)))


@pytest.fixture
def blocs(council):
    return [BlocFactory(council=council, code=f"CỤM{n}", name=f"Cụm thi đua số {n}") for n in range(1, 4)]


def test_the_confirm_step_costs_the_same_queries_for_10_and_for_200_rows(council, blocs, users):
    codes = [bloc.code for bloc in blocs]
    small, _ = apply_counted(council, rows_of(10, prefix="A", bloc_codes=codes), users["officer"])
    large, result = apply_counted(council, rows_of(200, prefix="B", bloc_codes=codes), users["officer"])
    assert result.units_created == 200 and result.memberships_created == 200
    small_counts, large_counts = statements(small), statements(large)
    assert small_counts["reads"] == large_counts["reads"]
    assert set(small_counts) == set(large_counts)  # the same tables, each in one bulk statement or a few
    for model in (Unit, Unit.history.model, Membership, Membership.history.model):
        table = connection.ops.quote_name(model._meta.db_table)
        assert small_counts[table] == 1
        assert large_counts[table] == batches(model, 200)
    if connection.vendor == "postgresql":
        assert len(small) == len(large)


def test_updates_and_new_periods_are_written_with_their_history(council, bloc, blocs, units, users):
    """New units, a changed unit, a shortened period and a new period of an existing member, each with
    one history row saying who and why."""
    officer = users["officer"]
    rows = [
        *rows_of(20, prefix="N", bloc_codes=[blocs[0].code]),
        {"code": "LHPN", "head_name": "Trần Thị Mai", "bloc_code": bloc.code, "first_year": 2018, "last_year": 2022},
        {"code": "LHPN", "bloc_code": blocs[1].code, "first_year": 2023, "display_order": 3},
    ]
    queries, result = apply_counted(council, rows, officer)
    assert (result.units_created, result.units_updated) == (20, 1)
    assert (result.memberships_created, result.memberships_updated) == (21, 1)

    new = Unit.objects.get(council=council, code="N0007")
    assert new.kind == Unit.Kind.COMMUNE
    # The keys Unit.save() computes, though the bulk write does not call it: search and order find it.
    assert (new.code_key, new.sort_name) == (code_key("N0007"), sort_key(new.name))
    assert new.search_text == fold(f"{new.name}   N0007")
    assert Unit.objects.search("xa so 7 (n)").filter(pk=new.pk).exists()
    assert new.memberships.get().bloc == blocs[0]

    women = units["member_unit"]
    women.refresh_from_db()
    assert women.head_name == "Trần Thị Mai"
    assert women.memberships.get(bloc=bloc).last_year == 2022
    assert women.memberships.get(bloc=blocs[1]).display_order == 3

    for model, pks, kind in [
        (Unit, [new.pk], "+"),
        (Unit, [women.pk], "~"),
        (Membership, [women.memberships.get(bloc=bloc).pk], "~"),
        (Membership, [women.memberships.get(bloc=blocs[1]).pk, new.memberships.get().pk], "+"),
    ]:
        for pk in pks:
            entry = model.history.filter(id=pk).latest("history_date")
            assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
                kind,
                officer,
                CHANGE_REASON,
            )
    assert Unit.history.filter(history_change_reason=CHANGE_REASON).count() == 21
    assert Membership.history.filter(history_change_reason=CHANGE_REASON).count() == 22


def test_a_clash_found_at_write_time_writes_nothing(council, bloc, units, users):
    """Another request gave the unit a period the sheet's new one overlaps, between the check of the
    plan and its write: the row is named and nothing is written."""
    plan = excel.units_import_parse(
        council=council,
        file=sheet(
            [
                {"code": "NEW1", "name": "Xã mới", "bloc_code": bloc.code, "first_year": 2021},
                {"code": "SNV", "bloc_code": bloc.code, "first_year": 2020},
            ]
        ),
    )
    assert plan.is_valid
    Membership.objects.create(bloc=bloc, unit=units["outside_unit"], first_year=2019, last_year=2022)
    before = (Unit.objects.count(), Membership.objects.count(), Unit.history.count())
    with pytest.raises(excel.ImportWriteError) as failure, translation.override("en"):
        excel.units_import_apply(plan=plan, by=users["officer"])
    assert failure.value.issue.row == 3
    assert "already a member of the bloc from 2019 to 2022" in failure.value.issue.text
    assert (Unit.objects.count(), Membership.objects.count(), Unit.history.count()) == before
