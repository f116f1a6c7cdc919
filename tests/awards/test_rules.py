"""Rule evaluation (awards.rules): every kind of rule, its base and severity, per-bloc overrides, and the
phases in which "a proposal in the same submission counts" and "the order is checked at decision time".

The fixture bloc has 5 members in 2021."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, CHAIRMAN_CERTIFICATE, GOVERNMENT_FLAG, PROVINCIAL_FLAG
from awards.forms import parse_threshold
from awards.models import Proposal, Registration
from awards.rules import Phase, proposal_check

from ..conftest import YEAR
from ..factories import BlocFactory
from ..fixtures.awards import ACCLAIMED, ballot, reload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]


def messages(p: Proposal, **kwargs) -> list[str]:
    return [f.message for f in proposal_check(proposal=reload(p), **kwargs) if f.kind != "registration"]


def rule_findings(p: Proposal, **kwargs):
    return [f for f in proposal_check(proposal=reload(p), **kwargs) if f.kind != "registration"]


@pytest.fixture
def registered(bloc, units, awards):
    """Register every member for every type, so the registration warning stays out of the way."""
    for unit in [u for key, u in units.items() if key != "outside_unit"]:
        for award_type in awards.values():
            Registration.objects.create(bloc=bloc, year=YEAR, unit=unit, award_type=award_type)


# --- Vote threshold --------------------------------------------------------------------------------------


def two_thirds(rule, base, **extra):
    return rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, threshold_denominator=3, base=base, **extra)


def test_threshold_of_ballots_cast_is_exact_at_two_thirds(rule, proposal, registered):
    two_thirds(rule, "ballots_cast")
    assert messages(proposal("LDLD", tally=ballot(5, 3, 2))) == []


def test_threshold_of_ballots_cast_fails_below_and_says_the_numbers(rule, proposal, registered):
    two_thirds(rule, "ballots_cast")
    assert messages(proposal("LDLD", tally=ballot(5, 4, 2))) == [
        "2 votes for out of 4 ballots cast is 50%; the rule needs at least 2/3 of ballots cast; acclamation counts."
    ]


def test_threshold_of_members_present_counts_absent_ballots_against(rule, proposal, registered):
    two_thirds(rule, "members_present")
    # 3 of 4 ballots would pass; 3 of 5 present does not.
    assert messages(proposal("LDLD", tally=ballot(5, 4, 3))) == [
        "3 votes for out of 5 members present is 60%; the rule needs at least 2/3 of members present; "
        "acclamation counts."
    ]
    assert messages(proposal("LHPN", tally=ballot(3, 3, 2))) == []


def test_threshold_of_all_members_uses_the_bloc_members_that_year(rule, proposal, registered):
    rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=70, threshold_denominator=100, base="all_members")
    assert messages(proposal("LDLD", tally=ballot(4, 4, 4))) == []  # 4 of 5 = 80%
    failing = messages(proposal("LHPN", tally=ballot(4, 4, 3)))  # 3 of 5 = 60%
    assert failing == [
        "3 votes for out of 5 all members is 60%; the rule needs at least 70% of all members; acclamation counts."
    ]


def test_more_than_half_is_strict_and_at_least_half_is_not(rule, proposal, registered):
    rule(
        PROVINCIAL_FLAG,
        "threshold",
        threshold_numerator=1,
        threshold_denominator=2,
        base="ballots_cast",
        threshold_strict=True,
    )
    assert len(messages(proposal("LDLD", tally=ballot(4, 4, 2)))) == 1
    assert messages(proposal("LHPN", tally=ballot(4, 4, 3))) == []
    rule(CHAIRMAN_CERTIFICATE, "threshold", threshold_numerator=1, threshold_denominator=2, base="ballots_cast")
    assert messages(proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, tally=ballot(4, 4, 2))) == []


def test_acclamation_satisfies_a_threshold_that_accepts_it(rule, proposal, registered):
    two_thirds(rule, "ballots_cast", acclamation_counts=True)
    assert messages(proposal("LDLD", tally=ACCLAIMED)) == []


def test_acclamation_fails_a_threshold_that_needs_a_count(rule, proposal, registered):
    two_thirds(rule, "ballots_cast", acclamation_counts=False)
    assert messages(proposal("LDLD", tally=ACCLAIMED)) == [
        "Decided by acclamation, but this award needs a vote count: at least 2/3 of ballots cast; "
        "acclamation does not count."
    ]


def test_a_tally_not_recorded_makes_a_threshold_a_warning_needing_a_reason(rule, proposal, registered):
    # No counts and no acclamation: the record does not say, so the rule can neither pass nor fail.
    two_thirds(rule, "ballots_cast")
    [finding] = rule_findings(proposal("LDLD", tally=services.Tally()))
    assert finding.message.startswith("The tally was not recorded")
    assert finding.is_warning and finding.prevents_submission


def test_threshold_arithmetic_has_no_rounding(rule):
    item = two_thirds(rule, "ballots_cast")
    assert item.threshold_met(votes_for=6, base=9) and not item.threshold_met(votes_for=5, base=8)


def test_thresholds_are_written_as_fractions_or_percentages():
    assert parse_threshold("2/3") == (2, 3)
    assert parse_threshold("70%") == (70, 100)
    assert parse_threshold("70") == (70, 100)
    assert parse_threshold("66,5%") == (665, 1000)
    for bad in ["3/2", "abc", "120%", ""]:
        with pytest.raises(ValueError):
            parse_threshold(bad)


# --- Quota ---------------------------------------------------------------------------------------------


def test_quota_number_flags_every_proposal_beyond_it(rule, proposal, registered):
    rule(PROVINCIAL_FLAG, "quota", quota_number=1)
    first = proposal("LDLD")
    assert messages(first) == []
    second = proposal("LHPN")
    expected = "The bloc proposes 2 for Cờ thi đua của UBND tỉnh in 2021; at most 1 are allowed (a set number)."
    assert messages(first) == [expected]
    assert messages(second) == [expected]


def test_quota_share_of_members_is_rounded_down(rule, proposal, registered):
    item = rule(PROVINCIAL_FLAG, "quota", quota_percent=30)
    assert item.quota_of(5) == 1  # 1.5 → 1
    proposal("LDLD")
    assert messages(proposal("LHPN")) == [
        "The bloc proposes 2 for Cờ thi đua của UBND tỉnh in 2021; at most 1 are allowed "
        "(30% of 5 members, rounded down)."
    ]


def test_quota_share_allows_what_it_rounds_down_to(rule, proposal, registered):
    rule(PROVINCIAL_FLAG, "quota", quota_percent=40)  # 2 of 5
    proposal("LDLD")
    assert messages(proposal("LHPN")) == []


def test_rejected_proposals_and_other_years_take_no_place_in_the_quota(rule, proposal, registered, walk):
    rule(PROVINCIAL_FLAG, "quota", quota_number=1)
    old = proposal("LDLD")
    walk.submit(old)
    services.proposal_reject(proposal=old, reason="Không đủ điều kiện.", by=walk.officer)
    proposal("LHPN", year=YEAR - 1)
    assert messages(proposal("HND")) == []


# --- Eligibility --------------------------------------------------------------------------------------------


@pytest.fixture
def needs_provincial_flag(rule):
    return rule(GOVERNMENT_FLAG, "eligibility", requires=PROVINCIAL_FLAG)


def test_eligibility_fails_without_the_required_award(needs_provincial_flag, proposal, registered):
    assert messages(proposal("LDLD", type_code=GOVERNMENT_FLAG)) == [
        "Liên đoàn Lao động tỉnh needs Cờ thi đua của UBND tỉnh of 2021: it has not been awarded, and it is not "
        "proposed in this bloc-year to go out in the same submission."
    ]


def test_eligibility_counts_a_proposal_in_the_same_bloc_year_while_drafting(
    needs_provincial_flag, proposal, registered
):
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    proposal("LDLD", type_code=PROVINCIAL_FLAG)
    assert messages(government) == []


def test_eligibility_needs_the_same_recipient_and_year(needs_provincial_flag, proposal, registered):
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    proposal("LHPN", type_code=PROVINCIAL_FLAG)
    proposal("LDLD", type_code=PROVINCIAL_FLAG, year=YEAR - 1)
    assert len(messages(government)) == 1


def test_eligibility_at_submission_counts_only_the_same_submission(needs_provincial_flag, proposal, registered, walk):
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    provincial = proposal("LDLD", type_code=PROVINCIAL_FLAG)
    with pytest.raises(ValidationError, match="not proposed in this submission"):
        walk.submit(government)
    assert reload(government).status == Proposal.Status.DRAFT
    walk.submit(government, provincial)
    assert reload(government).status == Proposal.Status.SUBMITTED


def test_eligibility_is_met_by_an_award_decided_earlier(needs_provincial_flag, proposal, registered, walk):
    provincial = proposal("LDLD", type_code=PROVINCIAL_FLAG)
    walk.to_decided(provincial)
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    assert messages(government, phase=Phase.SUBMIT, batch=[government]) == []


def test_eligibility_is_met_by_an_award_entered_from_outside(
    needs_provincial_flag, proposal, registered, council, units, awards
):
    services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=YEAR,
        unit=units["vice_unit"],
        decision_number="99/QĐ-UBND",
        decision_date=date(2022, 1, 5),
        by=None,
    )
    assert messages(proposal("LDLD", type_code=GOVERNMENT_FLAG)) == []


def test_eligibility_order_is_checked_again_at_decision_time(needs_provincial_flag, proposal, registered, walk):
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    provincial = proposal("LDLD", type_code=PROVINCIAL_FLAG)
    walk.submit(government, provincial)
    walk.approve(government, provincial)
    with pytest.raises(ValidationError, match="decided first"):
        walk.decide(government)
    assert reload(government).status == Proposal.Status.APPROVED
    walk.decide(provincial, number="10/QĐ-UBND")
    walk.decide(government, number="11/QĐ-TTg")
    assert reload(government).status == Proposal.Status.DECIDED


def test_eligibility_is_met_by_the_same_decision(needs_provincial_flag, proposal, registered, walk):
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    provincial = proposal("LDLD", type_code=PROVINCIAL_FLAG)
    walk.to_decided(government, provincial)
    assert {reload(government).status, reload(provincial).status} == {Proposal.Status.DECIDED}


def test_eligibility_at_decision_time_fails_when_the_required_one_was_rejected(
    needs_provincial_flag, proposal, registered, walk
):
    government = proposal("LDLD", type_code=GOVERNMENT_FLAG)
    provincial = proposal("LDLD", type_code=PROVINCIAL_FLAG)
    walk.submit(government, provincial)
    walk.approve(government)
    services.proposal_reject(proposal=provincial, reason="Chưa đủ tiêu chuẩn.", by=walk.officer)
    with pytest.raises(ValidationError):
        walk.decide(government)


# --- Which rules apply: per-bloc overrides ----------------------------------------------------------------


def test_a_bloc_rule_replaces_the_council_rule_of_the_same_kind_only(rule, proposal, registered, bloc):
    two_thirds(rule, "ballots_cast")
    rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=1, threshold_denominator=2, base="ballots_cast", bloc=bloc)
    rule(PROVINCIAL_FLAG, "quota", quota_number=1)
    first = proposal("LDLD", tally=ballot(4, 4, 2))  # 1/2: enough for the bloc's own threshold
    second = proposal("LHPN", tally=ballot(4, 4, 2))
    kinds = [f.kind for f in rule_findings(first)]
    assert kinds == ["quota"]  # the council's quota still holds
    assert [f.kind for f in rule_findings(second)] == ["quota"]


def test_a_rule_of_another_bloc_does_not_apply(rule, proposal, registered, council):
    other = BlocFactory(council=council)
    rule(PROVINCIAL_FLAG, "quota", quota_number=0, bloc=other)
    assert messages(proposal("LDLD")) == []


# --- Severity ------------------------------------------------------------------------------------------


def test_a_warning_rule_needs_a_written_reason_to_submit(rule, proposal, registered, walk):
    two_thirds(rule, "ballots_cast", severity="warning")
    p = proposal("LDLD", tally=ballot(5, 5, 3))
    (finding,) = rule_findings(p)
    assert finding.is_warning and not finding.has_reason and finding.prevents_submission
    with pytest.raises(ValidationError, match="needs a written reason"):
        walk.submit(p)
    services.proposal_reason_set(proposal=p, key=finding.key, reason="Đơn vị có thành tích đột xuất.", by=None)
    (finding,) = rule_findings(p)
    assert finding.reason == "Đơn vị có thành tích đột xuất." and not finding.prevents_submission
    walk.submit(p)
    assert reload(p).status == Proposal.Status.SUBMITTED


def test_a_blocking_rule_blocks_even_with_a_reason(rule, proposal, registered, walk):
    item = two_thirds(rule, "ballots_cast")
    p = proposal("LDLD", tally=ballot(5, 5, 3))
    services.proposal_reason_set(proposal=p, key=f"rule:{item.pk}", reason="Xin ngoại lệ.", by=None)
    with pytest.raises(ValidationError, match="the rule needs"):
        walk.submit(p)
    assert reload(p).status == Proposal.Status.DRAFT


# --- Registration (đăng ký thi đua) ------------------------------------------------------------------------


def test_a_title_the_unit_did_not_register_is_a_warning(proposal, bloc, units, awards):
    p = proposal("LDLD")
    (finding,) = proposal_check(proposal=p)
    assert finding.kind == "registration" and finding.is_warning
    assert (
        finding.message
        == "Liên đoàn Lao động tỉnh did not register for Cờ thi đua của UBND tỉnh in 2021 (đăng ký thi đua)."
    )
    services.registration_add(
        bloc=bloc, year=YEAR, unit=units["vice_unit"], award_type=awards[PROVINCIAL_FLAG], by=None
    )
    assert proposal_check(proposal=reload(p)) == []


def test_registration_concerns_units_not_people_collectives_or_the_blocs_own_awards(proposal):
    assert proposal_check(proposal=proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, person="Lê Văn Tám")) == []
    assert (
        proposal_check(proposal=proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, collective_name="Ban Tổ chức")) == []
    )
    assert proposal_check(proposal=proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE)) == []


def test_decided_proposals_have_no_live_findings(rule, proposal, walk):
    p = proposal("LDLD")
    services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký muộn.", by=None)
    walk.to_decided(p)
    rule(PROVINCIAL_FLAG, "quota", quota_number=0)
    assert proposal_check(proposal=reload(p)) == []
