"""Award rules that require a rank or a minimum final score in the bloc-year's final ranking (awards.rules,
kinds ``rank`` and ``score``): what holds, what fails and why (no ranking, a reopened one, not ranked, a
rank or a score below the rule), to whom they apply, in every phase, at a fixed number of queries; and the
officer's rule form that makes them.

The standard ranking of 2021 (``tests/fixtures/ranking.py``): LĐLĐ 1 (95,5), MTTQ 2 (90), LHPN 3 (88,25),
HND 4 (80), CCB not entered."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardRule, Proposal, Registration
from awards.rules import Phase, proposal_check, proposals_check, proposals_rule_checks
from pledges.scoring.services import DirectEntry, ranking_enter_directly, ranking_reopen

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..fixtures.awards import reload
from ..roles import OFFICER_OBJECT, REDIRECT, ROLES, check_post, expect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]


def messages(p: Proposal, **kwargs) -> list[str]:
    return [f.message for f in proposal_check(proposal=reload(p), **kwargs) if f.kind != "registration"]


@pytest.fixture
def registered(bloc, units, awards):
    """Every member registered for every type: the registration warning stays out of the way."""
    for unit in [u for key, u in units.items() if key != "outside_unit"]:
        for award_type in awards.values():
            Registration.objects.create(bloc=bloc, year=YEAR, unit=unit, award_type=award_type)


@pytest.fixture
def first_only(rule):
    """The provincial flag for the unit ranked first only."""
    return rule(PROVINCIAL_FLAG, "rank", rank_at_most=1)


# --- Rank ------------------------------------------------------------------------------------------------


def test_the_unit_ranked_first_meets_a_first_rank_rule(first_only, proposal, registered, ranked):
    assert messages(proposal("LDLD")) == []


def test_a_lower_rank_fails_and_says_both_numbers(first_only, rule, proposal, registered, ranked):
    assert messages(proposal("MTTQ")) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh is ranked 2 in 2021; the rule needs rank 1."
    ]
    rule(CHAIRMAN_CERTIFICATE, "rank", rank_at_most=3)
    assert messages(proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE)) == []  # rank 3 of 1–3
    assert messages(proposal("HND", type_code=CHAIRMAN_CERTIFICATE)) == [
        "Hội Nông dân tỉnh is ranked 4 in 2021; the rule needs rank 1–3."
    ]


def test_without_a_ranking_the_rule_says_the_bloc_has_not_finalised_it(first_only, proposal, registered):
    assert messages(proposal("LDLD")) == [
        "Khối thi đua các tổ chức chính trị - xã hội has not finalised its ranking of 2021 yet, so the rule "
        "(rank 1 in the bloc-year's final ranking) cannot be met."
    ]


def test_a_ranking_of_another_year_or_bloc_does_not_count(
    first_only, proposal, registered, enter_ranking, council, units
):
    enter_ranking(year=2020)
    other = BlocFactory(council=council, name="Khối thi đua các sở, ban, ngành")
    MembershipFactory(bloc=other, unit=units["vice_unit"], first_year=2018)
    ranking_enter_directly(bloc=other, year=YEAR, entries=[DirectEntry(units["vice_unit"].pk, 1)], by=None)
    assert "has not finalised its ranking of 2021" in messages(proposal("LDLD"))[0]


def test_a_reopened_ranking_counts_for_nothing(first_only, proposal, registered, reopened):
    assert messages(proposal("LDLD")) == [
        "The ranking of 2021 of Khối thi đua các tổ chức chính trị - xã hội was reopened and is not final again "
        "yet, so the rule (rank 1 in the bloc-year's final ranking) cannot be met."
    ]


def test_a_unit_not_ranked_is_told_why(first_only, proposal, registered, computed_ranking):
    # LĐLĐ ranked first from its reviewed sheet; HND's sheet was submitted, never reviewed; MTTQ's a draft.
    assert messages(proposal("LDLD")) == []
    assert messages(proposal("HND")) == [
        "Hội Nông dân tỉnh is not ranked in 2021 (Sheet not reviewed yet); the rule: rank 1 in the bloc-year's "
        "final ranking."
    ]
    assert messages(proposal("MTTQ")) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh is not ranked in 2021 (Sheet not submitted); the rule: rank 1 in "
        "the bloc-year's final ranking."
    ]


def test_a_unit_left_out_of_a_direct_ranking_is_not_ranked(first_only, proposal, registered, ranked):
    assert messages(proposal("CCB")) == [
        "Hội Cựu chiến binh tỉnh is not ranked in 2021 (No rank entered); the rule: rank 1 in the bloc-year's "
        "final ranking."
    ]


def test_a_shared_first_rank_meets_the_rule_for_both(first_only, proposal, registered, enter_ranking):
    enter_ranking({"LDLD": (1, "90"), "MTTQ": (1, "90"), "LHPN": (3, "70")})
    assert messages(proposal("LDLD")) == [] and messages(proposal("MTTQ")) == []


def test_a_bloc_rank_rule_replaces_the_councils(first_only, rule, proposal, registered, ranked, bloc):
    rule(PROVINCIAL_FLAG, "rank", rank_at_most=2, bloc=bloc)
    assert messages(proposal("MTTQ")) == []
    assert messages(proposal("LHPN")) == ["Hội Liên hiệp Phụ nữ tỉnh is ranked 3 in 2021; the rule needs rank 1–2."]


# --- Score -----------------------------------------------------------------------------------------------


def test_a_minimum_score_holds_at_the_minimum_and_fails_below(rule, proposal, registered, ranked):
    rule(PROVINCIAL_FLAG, "score", minimum_score=Decimal("90"))
    assert messages(proposal("MTTQ")) == []  # 90 exactly
    assert messages(proposal("LHPN")) == [
        "Hội Liên hiệp Phụ nữ tỉnh has a final score of 88,25 in 2021; the rule needs at least 90."
    ]


def test_a_ranking_entered_without_scores_meets_no_score_rule(rule, proposal, registered, enter_ranking):
    rule(PROVINCIAL_FLAG, "score", minimum_score=Decimal("92.5"))
    enter_ranking({"LDLD": (1, None)})
    assert messages(proposal("LDLD")) == [
        "Liên đoàn Lao động tỉnh is ranked 1 in 2021, but the ranking records no score for it; the rule needs a "
        "final score of at least 92,5."
    ]


def test_rank_and_score_rules_both_apply(rule, proposal, registered, ranked):
    rule(PROVINCIAL_FLAG, "rank", rank_at_most=3)
    rule(PROVINCIAL_FLAG, "score", minimum_score=Decimal("89"))
    assert [f.kind for f in proposal_check(proposal=reload(proposal("LHPN")))] == ["score"]  # rank 3, 88,25


# --- To whom, and when ------------------------------------------------------------------------------------


def test_people_and_named_collectives_are_not_checked_against_the_ranking(rule, proposal, registered):
    # No ranking at all: a unit's proposal fails; a person's and a collective's are not what it ranks.
    rule(CHAIRMAN_CERTIFICATE, "rank", rank_at_most=3)
    assert len(messages(proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE))) == 1
    person = proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE, person="Trần Thị Bình")
    collective = proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE, collective_name="Ban Tuyên giáo")
    assert messages(person) == [] and messages(collective) == []
    _findings, checks = proposals_rule_checks(proposals=[reload(person), reload(collective)])
    assert checks[person.pk] == [] and checks[collective.pk] == []  # not listed among the rules that apply


def test_the_blocs_own_awards_may_require_a_rank(rule, proposal, registered, ranked):
    rule(BLOC_EXEMPLARY_COLLECTIVE, "rank", rank_at_most=2)
    assert messages(proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE)) == []
    assert len(messages(proposal("LHPN", type_code=BLOC_EXEMPLARY_COLLECTIVE))) == 1


def test_the_rule_holds_in_every_phase_and_blocks_the_submission(first_only, proposal, registered, walk, ranked):
    failing = proposal("MTTQ")
    assert len(messages(failing, phase=Phase.SUBMIT, batch=[failing])) == 1
    with pytest.raises(ValidationError, match="the rule needs rank 1"):
        walk.submit(failing)
    assert reload(failing).status == Proposal.Status.DRAFT
    passing = proposal("LDLD")
    walk.submit(passing)
    walk.approve(passing)
    assert messages(passing, phase=Phase.DECIDE, batch=[passing]) == []


def test_a_ranking_reopened_after_the_submission_shows_on_the_proposal_but_the_authority_decides(
    first_only, proposal, registered, walk, ranked, users
):
    # Rules are the bloc's dossier: checked live and when submitting. At decision time only the order of
    # eligibility stops a decision; the officer sees the live finding beside the approved proposal.
    p = proposal("LDLD")
    walk.submit(p)
    walk.approve(p)
    ranking_reopen(ranking=ranked, reason="Chấm lại.", by=users["officer"])
    assert ["was reopened" in m for m in messages(p)] == [True]
    walk.decide(reload(p))
    assert reload(p).status == Proposal.Status.DECIDED


def test_a_warning_rank_rule_passes_with_a_written_reason(rule, proposal, registered, walk, ranked):
    item = rule(PROVINCIAL_FLAG, "rank", rank_at_most=1, severity="warning")
    p = proposal("MTTQ")
    services.proposal_reason_set(proposal=p, key=f"rule:{item.pk}", reason="Thành tích đột xuất.", by=None)
    (finding,) = [f for f in proposal_check(proposal=reload(p)) if f.kind == "rank"]
    assert finding.is_warning and not finding.prevents_submission
    walk.submit(reload(p))


# --- Queries ---------------------------------------------------------------------------------------------


def _checked_queries(proposals) -> int:
    page = list(Proposal.objects.with_related().filter(pk__in=[p.pk for p in proposals]))  # as a page reads them
    with CaptureQueriesContext(connection) as queries:
        proposals_check(proposals=page)
    return len(queries)


def test_checking_a_page_of_proposals_costs_the_same_whatever_the_blocs_and_years(
    rule, proposal, registered, enter_ranking, council, awards
):
    rule(PROVINCIAL_FLAG, "rank", rank_at_most=1)
    rule(CHAIRMAN_CERTIFICATE, "score", minimum_score=Decimal("80"))
    enter_ranking()
    few = [proposal("LDLD"), proposal("MTTQ", type_code=CHAIRMAN_CERTIFICATE)]
    small = _checked_queries(few)
    many = list(few)
    for index in range(4):
        other = BlocFactory(council=council, name=f"Khối thi đua số {index}")
        unit = UnitFactory(council=council)
        MembershipFactory(bloc=other, unit=unit, first_year=2018)
        ranking_enter_directly(bloc=other, year=2020, entries=[DirectEntry(unit.pk, 1, "85")], by=None)
        for year in (2020, 2021):
            many.append(
                services.proposal_save(
                    bloc=other, year=year, award_type=awards[PROVINCIAL_FLAG], unit=unit, tally=None, by=None
                )
            )
    findings = proposals_check(proposals=[reload(p) for p in many])
    assert _checked_queries(many) == small
    assert [f.kind for f in findings[many[2].pk] if f.kind != "registration"] == []  # ranked 1 in 2020


def test_without_rank_or_score_rules_the_ranking_is_not_read(rule, proposal, registered):
    rule(PROVINCIAL_FLAG, "quota", quota_number=3)
    with CaptureQueriesContext(connection) as queries:
        proposals_check(proposals=[reload(proposal("LDLD"))])
    assert not [q for q in queries if "ranking" in q["sql"].lower()]


# --- The rule and its form --------------------------------------------------------------------------------


def test_the_rule_says_itself_in_words(rule):
    assert rule(PROVINCIAL_FLAG, "rank", rank_at_most=1).text() == "rank 1 in the bloc-year's final ranking"
    assert rule(CHAIRMAN_CERTIFICATE, "rank", rank_at_most=3).text() == "rank 1–3 in the bloc-year's final ranking"
    score = rule(BLOC_EXEMPLARY_COLLECTIVE, "score", minimum_score=Decimal("92.50"))
    assert score.text() == "a final score of at least 92,5 in the bloc-year's final ranking"


def test_a_rank_or_score_rule_needs_its_number(rule):
    with pytest.raises(ValidationError) as error:
        rule(PROVINCIAL_FLAG, "rank")
    assert "rank_at_most" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rule(PROVINCIAL_FLAG, "score")
    assert "minimum_score" in error.value.message_dict


def test_the_database_refuses_an_incomplete_rank_or_score_rule_and_an_unknown_kind(awards):
    for values in ({"kind": "rank"}, {"kind": "rank", "rank_at_most": 0}, {"kind": "score"}, {"kind": "ranked"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            AwardRule.objects.create(award_type=awards[PROVINCIAL_FLAG], **values)


def test_saving_a_rule_of_another_kind_clears_the_rank_and_score(rule):
    item = rule(PROVINCIAL_FLAG, "rank", rank_at_most=2)
    item.kind, item.quota_number = "quota", 2
    services.award_rule_save(rule=item)
    item.refresh_from_db()
    assert (item.rank_at_most, item.minimum_score) == (None, None)


def test_the_officer_makes_a_rank_rule_and_a_score_rule_on_the_rule_form(client_as, awards):
    client = client_as("officer")
    flag = awards[PROVINCIAL_FLAG]
    page = client.get(reverse("awards:rule_create", args=[flag.pk])).content.decode()
    assert 'value="rank"' in page and 'value="score"' in page and 'name="rank_at_most"' in page
    base = {"severity": "error", "acclamation_counts": "on"}
    response = client.post(reverse("awards:rule_create", args=[flag.pk]), {**base, "kind": "rank", "rank_at_most": "1"})
    assert response.status_code == REDIRECT
    response = client.post(
        reverse("awards:rule_create", args=[flag.pk]), {**base, "kind": "score", "minimum_score": "92,5"}
    )
    assert response.status_code == REDIRECT
    assert sorted((r.kind, r.rank_at_most, r.minimum_score) for r in flag.rules.all()) == [
        ("rank", 1, None),
        ("score", None, Decimal("92.50")),
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "rank"}, "rank_at_most"),
        ({"kind": "rank", "rank_at_most": "0"}, "rank_at_most"),
        ({"kind": "score"}, "minimum_score"),
        ({"kind": "score", "minimum_score": "90,125"}, "minimum_score"),
        ({"kind": "score", "minimum_score": "chín mươi"}, "minimum_score"),
    ],
)
def test_a_rule_form_without_its_number_says_so_at_the_field_and_saves_nothing(client_as, awards, values, field):
    flag = awards[PROVINCIAL_FLAG]
    response = client_as("officer").post(reverse("awards:rule_create", args=[flag.pk]), {"severity": "error", **values})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not flag.rules.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_councils_officers_make_a_rank_rule(client_as, awards, role):
    flag = awards[PROVINCIAL_FLAG]
    check_post(
        client_as(role),
        reverse("awards:rule_create", args=[flag.pk]),
        {"kind": "rank", "severity": "error", "rank_at_most": "3"},
        {**OFFICER_OBJECT, **expect(officer=REDIRECT)},
        role,
        state=lambda: list(flag.rules.values_list("kind", "rank_at_most")),
    )
