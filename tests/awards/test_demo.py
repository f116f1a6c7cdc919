"""The awards demo: the proposals and outcomes the three news articles report (what they do not say is
invented and marked so in awards/demo.py), and a second run that
writes nothing. One load per module: the checks only read."""

from datetime import date

import pytest
from django.apps import apps
from django.db import transaction

from awards.catalogue import STANDARD_CATALOGUE
from awards.models import AwardRule, AwardType, Proposal
from blocs.demo import load_demo
from blocs.models import Bloc, Council

AN_GIANG = "Hội đồng Thi đua – Khen thưởng tỉnh An Giang"
BAC_KAN = "Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn"
TUYEN_QUANG = "Hội đồng Thi đua – Khen thưởng tỉnh Tuyên Quang"
S = Proposal.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once, in a transaction rolled back after the module (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def db_access(demo, db):
    return demo


def proposals(council: str, code: str, year: int):
    bloc = Bloc.objects.get(council__name=council, code=code)
    return list(
        Proposal.objects.filter(bloc=bloc, year=year).select_related("award_type", "unit", "person", "decision")
    )


def facts(items) -> set[tuple]:
    return {(p.award_type.name, p.unit.name) for p in items}


def test_every_council_has_the_catalogue(db_access):
    for council in Council.objects.all():
        assert AwardType.objects.filter(council=council).count() == len(STANDARD_CATALOGUE)


def test_an_giang_bloc_6_2020_proposals_all_by_acclamation(db_access):
    """[AG] the article on An Giang's Khối Thi đua 6, conference of 02/02/2021."""
    items = proposals(AN_GIANG, "KTĐ6", 2020)
    assert facts(items) == {
        ("Cờ thi đua của UBND tỉnh", "Liên đoàn Lao động tỉnh"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
        ("Bằng khen chuyên đề", "Hội Chữ thập đỏ tỉnh"),
    }
    assert all(p.acclamation and p.votes_for is None for p in items)
    # Invented outcome: decided by one decision, whose cover letter was issued.
    assert {p.status for p in items} == {S.DECIDED}
    assert {p.decision.number for p in items} == {"412/QĐ-UBND"}
    assert items[0].submission.cover_letter.number_text == "01/TTr-KTĐ6"


def test_bac_kan_2020_proposals_and_their_review(db_access):
    """[BK] the article on Bắc Kạn's Khối thi đua MTTQ và các đoàn thể, 29/12/2020."""
    items = {p.unit.name: p for p in proposals(BAC_KAN, "KMTTQ", 2020)}
    assert facts(items.values()) == {
        ("Cờ thi đua của UBND tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Đoàn TNCS Hồ Chí Minh tỉnh"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Hội Nông dân tỉnh"),
    }
    assert items["Hội Liên hiệp Phụ nữ tỉnh"].status == S.SUBMITTED  # waiting in the review queue
    assert items["Đoàn TNCS Hồ Chí Minh tỉnh"].status == S.APPROVED
    returned = items["Hội Nông dân tỉnh"]
    assert returned.status == S.RETURNED and returned.status_reason.startswith("Báo cáo thành tích")


def not_recorded(p: Proposal) -> bool:
    return (p.acclamation, p.members_present, p.ballots_cast, p.votes_for) == (False, None, None, None)


def test_bac_kan_2020_tallies_are_not_recorded_and_say_why(db_access):
    """The article gives no vote counts: none is invented; each vote-threshold warning has its reason."""
    items = proposals(BAC_KAN, "KMTTQ", 2020)
    assert all(not_recorded(p) for p in items)
    for p in items:
        threshold_keys = {
            f"rule:{pk}"
            for pk in AwardRule.objects.filter(award_type=p.award_type, kind="threshold").values_list("pk", flat=True)
        }
        assert threshold_keys and all((p.warning_reasons or {}).get(key) for key in threshold_keys), p


def test_party_agencies_bloc_honours_nine_and_nine_at_its_conference(db_access):
    """[TU] the article on the Khối thi đua Các cơ quan Tỉnh ủy, 27/12/2021."""
    items = proposals(TUYEN_QUANG, "KCQTU", 2021)
    own = [p for p in items if p.award_type.is_bloc_issued]
    collectives = [p for p in own if p.award_type.name == "Tập thể điển hình tiên tiến"]
    individuals = [p for p in own if p.award_type.name == "Cá nhân điển hình tiên tiến"]
    assert len(collectives) == 9 and len(individuals) == 9
    assert all(p.collective_name for p in collectives) and all(p.person_id for p in individuals)
    assert {(p.status, p.conference_date, p.decision_id) for p in own} == {(S.DECIDED, date(2021, 12, 27), None)}
    # The article says neither acclamation nor counts for them: not recorded.
    assert all(not_recorded(p) for p in own)


def test_party_agencies_bloc_proposes_its_leading_unit_for_both_flags_by_ballot(db_access):
    flags = {p.award_type.name: p for p in proposals(TUYEN_QUANG, "KCQTU", 2021) if not p.award_type.is_bloc_issued}
    assert set(flags) == {"Cờ thi đua của UBND tỉnh", "Cờ thi đua của Chính phủ"}
    provincial, government = flags["Cờ thi đua của UBND tỉnh"], flags["Cờ thi đua của Chính phủ"]
    assert provincial.unit == government.unit
    # "bỏ phiếu": by ballot, but the article gives no counts, and none is invented.
    assert not_recorded(provincial) and not_recorded(government)
    assert all(
        government.warning_reasons.get(f"rule:{r.pk}")
        for r in AwardRule.objects.filter(award_type=government.award_type, kind="threshold")
    )
    assert provincial.status == S.DECIDED and provincial.decision.number == "156/QĐ-UBND"
    assert government.status == S.SUBMITTED


def test_the_demo_has_every_state_the_issue_asks_for(db_access):
    states = set(Proposal.objects.values_list("status", flat=True))
    assert {S.DECIDED, S.SUBMITTED, S.APPROVED, S.RETURNED, S.DRAFT} <= states
    assert Proposal.objects.filter(source="external").exists()


def test_second_run_writes_nothing(db_access):
    def counts():
        return {model.__name__: model.objects.count() for model in apps.get_app_config("awards").get_models()}

    before = counts()
    again = load_demo()
    assert not again.wrote_anything, (again.created, again.updated)
    assert counts() == before
