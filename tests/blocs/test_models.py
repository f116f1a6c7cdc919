"""The base models: constraints the database holds, and the cross-table rules of ``clean()``."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from blocs.history import with_history_user
from blocs.models import Bloc, Membership, Seat, Unit
from blocs.printing import chair_signature
from blocs.text import fold, sort_key

from ..conftest import YEAR, membership_of
from ..factories import BlocFactory, MembershipFactory, SeatFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Database constraints -------------------------------------------------------------------------


def test_two_units_cannot_hold_the_chair_of_one_bloc_year(bloc, units, seats):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(bloc=bloc, year=YEAR, unit=units["member_unit"], rank=0)
    assert list(bloc.seats_of(YEAR).values_list("unit__code", "rank")) == [("MTTQ", 0), ("LDLD", 1)]


def test_the_same_rank_is_free_in_another_year_and_another_bloc(council, bloc, units, seats):
    other_bloc = BlocFactory(council=council)
    MembershipFactory(bloc=other_bloc, unit=units["member_unit"], first_year=2018)
    Seat.objects.create(bloc=bloc, year=YEAR + 1, unit=units["member_unit"], rank=0)
    Seat.objects.create(bloc=other_bloc, year=YEAR, unit=units["member_unit"], rank=0)
    assert Seat.objects.filter(rank=0, unit=units["member_unit"]).count() == 2


def test_vice_chair_cannot_also_be_chair(bloc, units, seats):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(bloc=bloc, year=YEAR, unit=units["chair_unit"], rank=2)
    assert bloc.seats_of(YEAR).count() == 2


def test_membership_cannot_end_before_it_starts(bloc, units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(bloc=bloc, unit=units["outside_unit"], first_year=2020, last_year=2019)
    assert not Membership.objects.filter(unit=units["outside_unit"]).exists()


def test_membership_of_a_single_year_is_allowed(bloc, units):
    membership = Membership.objects.create(bloc=bloc, unit=units["outside_unit"], first_year=2020, last_year=2020)
    assert membership.covers(2020)
    assert not membership.covers(2019)
    assert not membership.covers(2021)


def test_two_memberships_of_a_unit_cannot_start_in_the_same_year(bloc, units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(bloc=bloc, unit=units["member_unit"], first_year=2018, last_year=2019)


def test_unit_code_is_unique_within_a_council(council, units):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(council=council, code="LHPN", name="Một đơn vị khác")
    assert Unit.objects.filter(council=council, code="LHPN").count() == 1


def test_the_same_unit_code_is_fine_in_another_council(council, other_council, units):
    other = UnitFactory(council=other_council, code="LHPN", name="Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn")
    assert Unit.objects.filter(code="LHPN").count() == 2
    assert other.council == other_council


def test_bloc_code_is_unique_within_a_council(council, bloc):
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocFactory(council=council, code="KTĐ6", name="Khối thi đua khác")
    assert Bloc.objects.filter(council=council, code="KTĐ6").count() == 1


def test_the_same_bloc_code_is_fine_in_another_council(bloc, other_council):
    BlocFactory(council=other_council, code="KTĐ6", name="Khối thi đua các tổ chức chính trị - xã hội")
    assert Bloc.objects.filter(code="KTĐ6").count() == 2


def test_bloc_name_is_unique_within_a_council(council, bloc):
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocFactory(council=council, code="KTĐ7", name=bloc.name)


def test_user_must_belong_to_a_council(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="khong-hoi-dong", council=None, unit=None)


def test_superuser_may_have_no_council(db):
    admin = UserFactory(username="quan-tri", council=None, unit=None, is_superuser=True, is_staff=True)
    admin.refresh_from_db()
    assert admin.council_id is None
    assert admin.is_superuser


def test_unit_user_takes_the_council_of_its_unit(council, units):
    user = UserFactory(username="nguoi-dung-don-vi", council=None, unit=units["member_unit"])
    user.refresh_from_db()
    assert user.council_id == council.pk
    assert not user.is_board_staff


def test_merged_unit_must_record_the_merger_year(council, units):
    unit = units["farmers"]
    unit.successor = units["veterans"]
    unit.merged_year = None
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_unit_cannot_be_its_own_successor_in_the_database(units):
    unit = units["farmers"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(successor=unit, merged_year=2022)


# --- clean(): rules that span tables ---------------------------------------------------------------


def test_seat_holder_must_be_a_member_that_year(bloc, units):
    seat = Seat(bloc=bloc, year=YEAR, unit=units["outside_unit"], rank=0)
    with pytest.raises(ValidationError) as excinfo:
        seat.full_clean()
    assert "unit" in excinfo.value.message_dict
    assert "2021" in excinfo.value.message_dict["unit"][0]


def test_seat_holder_who_left_the_bloc_before_that_year_is_refused(bloc, units):
    membership = membership_of(bloc, units["farmers"])
    membership.last_year = 2019
    membership.save()
    with pytest.raises(ValidationError) as excinfo:
        Seat(bloc=bloc, year=YEAR, unit=units["farmers"], rank=1).full_clean()
    assert "unit" in excinfo.value.message_dict
    # ... but it was a member in 2019, so a 2019 seat is fine.
    Seat(bloc=bloc, year=2019, unit=units["farmers"], rank=1).full_clean()


def test_seat_holder_who_joins_later_is_refused(bloc, units):
    MembershipFactory(bloc=bloc, unit=units["outside_unit"], first_year=2023)
    with pytest.raises(ValidationError):
        Seat(bloc=bloc, year=YEAR, unit=units["outside_unit"], rank=2).full_clean()
    Seat(bloc=bloc, year=2023, unit=units["outside_unit"], rank=2).full_clean()


def test_member_may_hold_a_seat(bloc, units):
    Seat(bloc=bloc, year=YEAR, unit=units["member_unit"], rank=0).full_clean()  # no error


def test_seat_of_a_member_of_another_bloc_is_refused(council, bloc, units):
    other_bloc = BlocFactory(council=council)
    MembershipFactory(bloc=other_bloc, unit=units["outside_unit"], first_year=2018)
    with pytest.raises(ValidationError):
        Seat(bloc=bloc, year=YEAR, unit=units["outside_unit"], rank=0).full_clean()


def _membership_errors(**fields) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        Membership(**fields).full_clean()
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((2015, 2019), (2016, 2017)),  # inside
        ((2015, 2019), (2010, 2025)),  # around
        ((2015, 2019), (2010, 2015)),  # touches the first year
        ((2015, 2019), (2019, 2022)),  # touches the last year
        ((2015, 2019), (2019, None)),  # open-ended from the last year
        ((2015, 2019), (2010, None)),  # open-ended from before
        ((2015, None), (2030, 2031)),  # inside an open-ended one, far later
        ((2015, None), (2010, 2015)),  # up to the start of an open-ended one
        ((2015, None), (2020, None)),  # two open-ended ones
        ((2015, 2015), (2015, 2016)),  # single-year membership
    ],
)
def test_overlapping_memberships_of_one_unit_in_one_bloc_are_refused(bloc, units, existing, new):
    unit = units["outside_unit"]
    Membership.objects.create(bloc=bloc, unit=unit, first_year=existing[0], last_year=existing[1])
    errors = _membership_errors(bloc=bloc, unit=unit, first_year=new[0], last_year=new[1])
    assert "first_year" in errors
    assert str(existing[0]) in errors["first_year"][0]


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((2015, 2019), (2020, None)),  # rejoins the year after
        ((2015, 2019), (2010, 2014)),  # an earlier period
        ((2015, None), (2010, 2014)),  # before an open-ended one
    ],
)
def test_successive_memberships_of_one_unit_are_fine(bloc, units, existing, new):
    unit = units["outside_unit"]
    Membership.objects.create(bloc=bloc, unit=unit, first_year=existing[0], last_year=existing[1])
    Membership(bloc=bloc, unit=unit, first_year=new[0], last_year=new[1]).full_clean()  # no error


def test_membership_does_not_clash_with_itself_when_edited(bloc, units):
    membership = membership_of(bloc, units["member_unit"])
    membership.last_year = 2022
    membership.full_clean()  # no error
    membership.save()
    assert membership_of(bloc, units["member_unit"]).last_year == 2022


def test_memberships_of_one_unit_in_two_blocs_may_overlap(council, bloc, units):
    other_bloc = BlocFactory(council=council)
    Membership(bloc=other_bloc, unit=units["member_unit"], first_year=2018).full_clean()  # no error


def test_membership_of_a_unit_of_another_council_is_refused(bloc, other_council):
    stranger = UnitFactory(council=other_council, code="LHPN-BK", name="Hội LHPN tỉnh Bắc Kạn")
    errors = _membership_errors(bloc=bloc, unit=stranger, first_year=2021)
    assert "unit" in errors


def test_membership_last_year_before_first_year_is_a_form_error(bloc, units):
    errors = _membership_errors(bloc=bloc, unit=units["outside_unit"], first_year=2021, last_year=2020)
    assert "last_year" in errors


def test_membership_without_a_first_year_reports_the_field_instead_of_crashing(bloc, units):
    errors = _membership_errors(bloc=bloc, unit=units["member_unit"], first_year=None)
    assert "first_year" in errors


def test_membership_years_outside_the_supported_range_are_refused(bloc, units):
    errors = _membership_errors(bloc=bloc, unit=units["outside_unit"], first_year=1900)
    assert "first_year" in errors


@pytest.mark.parametrize("successor", ["a unit of another council", "itself"])
def test_unit_cannot_merge_into_a_unit_of_another_council_or_itself(units, other_council, successor):
    unit = units["farmers"]
    if successor == "itself":
        unit.successor = unit
    else:
        unit.successor = UnitFactory(council=other_council, code="X", name="Đơn vị tỉnh khác")
    unit.merged_year = 2025
    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    assert "successor" in excinfo.value.message_dict


def test_user_of_a_unit_of_another_council_is_refused(council, other_council):
    stranger = UnitFactory(council=other_council, code="X", name="Đơn vị tỉnh khác")
    user = UserFactory.build(username="lac-loi", council=council, unit=stranger)
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert "unit" in excinfo.value.message_dict


# --- Stored text -------------------------------------------------------------------------------------


def test_unit_text_is_stored_nfc_and_its_search_and_sort_columns_follow_the_name(council):
    decomposed = unicodedata.normalize("NFD", "Hội  Liên hiệp Phụ nữ tỉnh ")
    unit = UnitFactory(council=council, code="LHPN", name=decomposed, short_name="Hội LHPN", abbreviations="LHPN")
    unit.refresh_from_db()
    assert unit.name == "Hội Liên hiệp Phụ nữ tỉnh"
    assert unicodedata.is_normalized("NFC", unit.name)
    assert unit.search_text == fold("Hội Liên hiệp Phụ nữ tỉnh Hội LHPN LHPN LHPN")
    assert unit.sort_name == sort_key("Hội Liên hiệp Phụ nữ tỉnh")

    unit.name = "Hội Nông dân tỉnh"
    unit.save()
    unit.refresh_from_db()
    assert "nong dan" in unit.search_text
    assert "phu nu" not in unit.search_text
    assert unit.sort_name == sort_key("Hội Nông dân tỉnh")


def test_bloc_search_column_holds_name_and_code(bloc):
    bloc.refresh_from_db()
    assert bloc.search_text == "khoi thi dua cac to chuc chinh tri xa hoi ktd6"


# --- Small named queries ------------------------------------------------------------------------------


def test_members_of_a_year_in_protocol_order(bloc, units):
    membership = membership_of(bloc, units["veterans"])
    membership.display_order = 0
    membership.save()
    ended = membership_of(bloc, units["farmers"])
    ended.last_year = 2020
    ended.save()
    assert [m.unit.code for m in bloc.members(YEAR)] == ["CCB", "MTTQ", "LDLD", "LHPN"]
    assert [m.unit.code for m in bloc.members(2020)] == ["CCB", "MTTQ", "LDLD", "LHPN", "HND"]
    assert list(bloc.members(2017)) == []


def test_blocs_with_member_by_year(council, bloc, units):
    later = BlocFactory(council=council)
    MembershipFactory(bloc=later, unit=units["member_unit"], first_year=2023)
    assert list(Bloc.objects.with_member(units["member_unit"], YEAR)) == [bloc]
    assert set(Bloc.objects.with_member(units["member_unit"])) == {bloc, later}
    assert set(Bloc.objects.with_member(units["member_unit"], 2023)) == {bloc, later}


def test_seat_labels_follow_the_kind_of_bloc(council):
    bloc = BlocFactory(council=council, kind=Bloc.Kind.BLOC)
    cluster = BlocFactory(council=council, kind=Bloc.Kind.CLUSTER)
    with translation.override("en"):
        assert bloc.seat_label(0) == "Bloc chair"
        assert bloc.seat_label(1) == "Bloc vice-chair"
        assert cluster.seat_label(0) == "Cluster chair"
        assert cluster.seat_label(1, vice_count=2) == "Cluster vice-chair first"
        assert cluster.seat_label(2, vice_count=2) == "Cluster vice-chair second"


def test_document_header_is_the_council_above_the_bloc_unless_set(bloc):
    header = bloc.document_header()
    assert (header.parent_lines, header.body_lines) == ([bloc.council.name], [bloc.name])
    assert not header.parent_exact and not header.body_exact
    bloc.issuing_lines = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG\n TỈNH AN GIANG\n\n  KHỐI THI ĐUA SỐ 6 \n"
    header = bloc.document_header()
    assert header.parent_lines == ["HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "TỈNH AN GIANG"]
    assert (header.body_lines, header.parent_exact, header.body_exact) == (["KHỐI THI ĐUA SỐ 6"], True, True)


def test_the_council_may_set_its_lines_above_every_bloc(bloc):
    bloc.council.bloc_parent_lines = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG\r\nTỈNH AN GIANG\n"
    header = bloc.document_header()
    assert header.parent_lines == ["HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "TỈNH AN GIANG"]
    assert header.parent_exact and not header.body_exact
    assert header.body_lines == [bloc.name]


def test_set_header_lines_without_an_empty_line_start_with_the_parent_body(bloc):
    bloc.issuing_lines = "UBND TỈNH AN GIANG\nKHỐI THI ĐUA\nCÁC CƠ QUAN TỈNH ỦY"
    header = bloc.document_header()
    assert header.parent_lines == ["UBND TỈNH AN GIANG"]
    assert header.body_lines == ["KHỐI THI ĐUA", "CÁC CƠ QUAN TỈNH ỦY"]


def test_seat_factory_builds_a_valid_seat(council):
    bloc = BlocFactory(council=council)
    unit = UnitFactory(council=council)
    MembershipFactory(bloc=bloc, unit=unit, first_year=2020)
    seat = SeatFactory(bloc=bloc, unit=unit, year=2021, rank=0)
    seat.full_clean()
    assert seat.is_chair


def test_a_change_names_its_author_in_the_history_when_the_service_names_one(bloc, users):
    with_history_user(bloc, users["officer"]).save()
    assert bloc.history.first().history_user == users["officer"]
    assert with_history_user(bloc, None) is bloc
    bloc.save()  # outside a request and without an author: nobody, not the author named before
    assert bloc.history.first().history_user is None


@pytest.mark.parametrize(
    ("kind", "roles"),
    [(Bloc.Kind.BLOC, ["TM. KHỐI THI ĐUA", "KHỐI TRƯỞNG"]), (Bloc.Kind.CLUSTER, ["TM. CỤM THI ĐUA", "CỤM TRƯỞNG"])],
)
def test_the_chair_signs_with_the_title_then_the_name_only(council, kind, roles):
    """Decree 30/2020: nothing between "KHỐI TRƯỞNG" and the name (the shared layout keeps "details", empty)."""
    bloc = BlocFactory(council=council, kind=kind)
    unit = UnitFactory(council=council, name="Tỉnh An Giang", head_name="Lê Văn Hòa", head_title="Chủ tịch UBND tỉnh")
    assert chair_signature(bloc, unit) == {"roles": roles, "details": [], "name": "Lê Văn Hòa"}
    assert chair_signature(bloc, None) is None


def test_an_officer_may_set_the_signers_lines_of_a_bloc(council):
    bloc = BlocFactory(council=council, signer_lines="TM. BAN THƯỜNG TRỰC\r\nKHỐI TRƯỞNG\n")
    unit = UnitFactory(council=council, head_name="Lê Văn Hòa")
    assert chair_signature(bloc, unit) == {
        "roles": ["TM. BAN THƯỜNG TRỰC", "KHỐI TRƯỞNG"],
        "details": [],
        "name": "Lê Văn Hòa",
    }
