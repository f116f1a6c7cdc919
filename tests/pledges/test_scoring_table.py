"""The scoring table: creating and copying it, groups and criteria, the group maximum, bounds and the
two-decimal rule (Vietnamese messages), changes after scoring opened (confirmed, never dropping scores)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pledges.scoring.models import Criterion, Score, ScoringGroup, ScoringTable
from pledges.scoring.services import (
    criteria_reorder,
    criterion_add,
    criterion_edit,
    criterion_remove,
    group_add,
    group_edit,
    group_remove,
    groups_reorder,
    points_parse,
    scoring_open,
    scoring_table_copy,
    scoring_table_create,
)
from tests.fixtures.scoring import criteria_of, fill

from ..conftest import YEAR


def messages(error: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return error.value.message_dict[field]


def test_create_one_table_per_bloc_year(bloc, users):
    table = scoring_table_create(bloc=bloc, year=YEAR, by=users["chair"])
    assert table.state == ScoringTable.State.PREPARING
    assert table.history.first().history_user == users["chair"]
    with pytest.raises(ValidationError) as error:
        scoring_table_create(bloc=bloc, year=YEAR, by=users["chair"])
    assert "đã có bảng chấm điểm" in messages(error, "year")[0]


def test_table_links_only_its_own_years_pledge(bloc, users, drafting):
    pledge = drafting.pledge
    table = scoring_table_create(bloc=bloc, year=pledge.year, by=None, pledge=pledge)
    assert table.pledge == pledge
    with pytest.raises(ValidationError):
        scoring_table_create(bloc=bloc, year=pledge.year + 1, by=None, pledge=pledge)


def test_copy_last_years_table(table, users):
    c = criteria_of(table)
    criterion_remove(criterion=c["c2"], by=None)  # not scored: deleted, so not copied
    copy = scoring_table_copy(source=table, year=YEAR + 1, by=users["chair"])
    assert copy.copied_from == table and copy.bloc == table.bloc and copy.state == "preparing"
    lines = [(c.group.name, c.text, c.maximum, c.kind) for c in Criterion.objects.filter(group__table=copy)]
    assert lines == [
        ("Công tác chuyên môn", "Hoàn thành chỉ tiêu được giao", Decimal("20.00"), "base"),
        ("Công tác xây dựng tổ chức", "Phát triển hội viên", Decimal("25.00"), "base"),
        ("Công tác xây dựng tổ chức", "Sáng kiến nổi bật", Decimal("5.00"), "bonus"),
        ("Công tác xây dựng tổ chức", "Chậm nộp báo cáo", Decimal("10.00"), "penalty"),
    ]
    assert list(copy.groups.values_list("position", flat=True)) == [1, 2]


def test_group_maximum_holds_base_criteria_not_bonus(table):
    group = table.groups.get(position=1)  # 50 points: 20 + 30 base already
    with pytest.raises(ValidationError) as error:
        criterion_add(group=group, text="Thêm một tiêu chí", maximum="0,5", by=None)
    assert messages(error, "maximum") == [
        "Tổng điểm tối đa của các tiêu chí điểm chuẩn thuộc nhóm “Công tác chuyên môn” sẽ là 50,5, "
        "vượt điểm tối đa của nhóm là 50."
    ]
    bonus = criterion_add(group=group, text="Điểm thưởng", maximum="5", kind="bonus", by=None)
    assert bonus.position == 3
    with pytest.raises(ValidationError) as error:
        group_edit(group=group, name=group.name, maximum="49", by=None)
    assert "không thể nhỏ hơn" in messages(error, "maximum")[0]
    with pytest.raises(ValidationError):
        criterion_edit(criterion=criteria_of(table)["c1"], text="x", maximum="21", kind="base", by=None)
    # The model's clean() says the same.
    extra = Criterion(group=group, position=9, text="x", maximum=Decimal("1"), kind="base")
    with pytest.raises(ValidationError):
        extra.clean()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,234", "Điểm chỉ được có tối đa hai chữ số thập phân."),
        ("abc", "Nhập điểm bằng một con số."),
        ("0", "Điểm tối đa phải lớn hơn 0."),
        ("1000", "Điểm tối đa không được vượt quá 999,99."),
    ],
)
def test_maximum_is_a_positive_number_with_two_decimals(table, value, message):
    with pytest.raises(ValidationError) as error:
        group_add(table=table, name="Nhóm mới", maximum=value, by=None)
    assert messages(error, "maximum") == [message]


def test_points_parse():
    assert points_parse("2,5") == Decimal("2.50")
    assert points_parse(" -1.25 ") == Decimal("-1.25")
    assert points_parse("1.500") == Decimal("1.50")
    assert points_parse("") is None and points_parse(None) is None


def test_database_refuses_what_it_can_hold(table):
    group = table.groups.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringGroup.objects.create(table=table, position=5, name="x", maximum=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(group=group, position=5, text="x", maximum=Decimal("1"), kind="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringTable.objects.create(bloc=table.bloc, year=table.year)


def test_required_fields(table):
    with pytest.raises(ValidationError) as error:
        criterion_add(group=table.groups.first(), text=" ", maximum="1", kind="other", by=None)
    assert set(error.value.message_dict) == {"text", "kind"}
    with pytest.raises(ValidationError):
        group_add(table=table, name="", maximum="5", by=None)


def test_reorder_groups_and_criteria(table):
    first, second = table.groups.order_by("position")
    groups_reorder(table=table, order=[second.pk, first.pk], by=None)
    assert list(table.groups.order_by("position")) == [second, first]
    with pytest.raises(ValidationError):
        groups_reorder(table=table, order=[second.pk], by=None)
    ids = list(second.criteria.order_by("position").values_list("pk", flat=True))
    criteria_reorder(group=second, order=ids[::-1], by=None)
    assert list(second.criteria.order_by("position").values_list("pk", flat=True)) == ids[::-1]


def test_before_scoring_opens_a_removed_criterion_is_deleted(table):
    criterion = criteria_of(table)["bonus"]
    criterion_remove(criterion=criterion, by=None)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()
    group = table.groups.get(position=2)
    group_remove(group=group, by=None)
    assert not ScoringGroup.objects.filter(pk=group.pk).exists()


def test_after_scoring_opens_changes_need_confirmation_and_keep_scores(open_table, units, users):
    sheet = open_table.sheets.get(unit=units["member_unit"])
    fill(sheet, {"c1": "18", "bonus": "4"})
    c = criteria_of(open_table)
    with pytest.raises(ValidationError) as error:
        criterion_remove(criterion=c["bonus"], by=users["chair"])
    assert "Xác nhận" in messages(error, "confirmed")[0]
    with pytest.raises(ValidationError):
        criterion_add(group=c["c1"].group, text="Mới", maximum="1", kind="bonus", by=None)
    with pytest.raises(ValidationError):
        group_edit(group=c["c1"].group, name="Đổi tên", maximum="60", by=None)

    criterion_remove(criterion=c["bonus"], by=users["chair"], confirmed=True)
    kept = Criterion.objects.get(pk=c["bonus"].pk)
    assert not kept.active
    assert Score.objects.get(sheet=sheet, criterion=kept).self_points == Decimal("4.00")
    assert kept.history.first().history_user == users["chair"]

    # A new maximum below a score already entered is refused, never cut.
    with pytest.raises(ValidationError) as error:
        criterion_edit(criterion=c["c1"], text=c["c1"].text, maximum="15", kind="base", by=None, confirmed=True)
    assert "không còn phù hợp" in messages(error, "maximum")[0]
    criterion_edit(criterion=c["c1"], text="Hoàn thành chỉ tiêu", maximum="19", kind="base", by=None, confirmed=True)
    assert Criterion.objects.get(pk=c["c1"].pk).maximum == Decimal("19.00")

    group_remove(group=c["c3"].group, by=None, confirmed=True)
    group = ScoringGroup.objects.get(pk=c["c3"].group_id)
    assert not group.active and not group.criteria.filter(active=True).exists()


def test_opening_needs_a_criterion_and_opens_once(bloc, units, users):
    table = scoring_table_create(bloc=bloc, year=YEAR, by=None)
    with pytest.raises(ValidationError):
        scoring_open(table=table, by=None)
    criterion_add(group=group_add(table=table, name="Nhóm", maximum="10", by=None), text="T", maximum="10", by=None)
    scoring_open(table=table, by=users["chair"])
    table.refresh_from_db()
    assert table.is_open and table.opened_by == users["chair"]
    members = {units[k].pk for k in ("chair_unit", "vice_unit", "member_unit", "farmers", "veterans")}
    assert set(table.sheets.values_list("unit_id", flat=True)) == members
    with pytest.raises(ValidationError):
        scoring_open(table=table, by=None)


def test_cross_review_opens_only_with_every_unit_assigned(table, users):
    with pytest.raises(ValidationError) as error:
        scoring_open(table=table, by=None, review_mode="cross")
    assert "chưa có đơn vị thẩm định" in messages(error, "review_mode")[0]


def test_settings_choices_are_checked(table):
    from pledges.scoring.services import scoring_settings_save

    with pytest.raises(ValidationError) as error:
        scoring_settings_save(table=table, review_mode="x", tie_rule="y", by=None)
    assert set(error.value.message_dict) == {"review_mode", "tie_rule"}
