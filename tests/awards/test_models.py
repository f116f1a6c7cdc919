"""Awards models: the catalogue every council starts with, and the invariants the database holds
(constraints, tested by writing past ``clean()``) or ``clean()`` says in words."""

import unicodedata
from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from awards import services
from awards.catalogue import (
    BLOC_EXEMPLARY_COLLECTIVE,
    CHAIRMAN_CERTIFICATE,
    GOVERNMENT_FLAG,
    PROVINCIAL_FLAG,
    STANDARD_CATALOGUE,
)
from awards.models import AwardRule, AwardType, Decision, Proposal
from blocs.models import Council

from ..conftest import YEAR
from ..factories import BlocFactory, CouncilFactory
from ..fixtures.awards import ACCLAIMED, ballot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def refused_by_database(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


# --- The catalogue ----------------------------------------------------------------------------------


def test_a_new_council_starts_with_the_standard_catalogue():
    council = CouncilFactory(name="Hội đồng Thi đua – Khen thưởng tỉnh Thử nghiệm")
    types = list(AwardType.objects.filter(council=council))
    assert [t.code for t in types] == [s.code for s in STANDARD_CATALOGUE]
    names = {t.name for t in types}
    for name in [
        "Cờ thi đua của UBND tỉnh",
        "Cờ thi đua của Chính phủ",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Bằng khen chuyên đề",
        "Bằng khen của Thủ tướng Chính phủ",
        "Tập thể lao động xuất sắc",
        "Tập thể lao động tiên tiến",
        "Chiến sĩ thi đua cơ sở",
        "Chiến sĩ thi đua cấp tỉnh",
        "Lao động tiên tiến",
        "Giấy khen",
        "Tập thể điển hình tiên tiến",
        "Cá nhân điển hình tiên tiến",
    ]:
        assert name in names
    bloc_own = [t for t in types if t.is_bloc_issued]
    assert {t.name for t in bloc_own} == {"Tập thể điển hình tiên tiến", "Cá nhân điển hình tiên tiến"}
    assert AwardRule.objects.filter(award_type__council=council).count() == 0  # rules are the officers' data


def test_installing_the_catalogue_again_adds_nothing_and_keeps_officer_changes(council, awards):
    flag = awards[PROVINCIAL_FLAG]
    flag.name = "Cờ thi đua của Ủy ban nhân dân tỉnh"
    flag.active = False
    flag.save()
    assert services.award_catalogue_install(council=council) == []
    flag.refresh_from_db()
    assert (flag.name, flag.active) == ("Cờ thi đua của Ủy ban nhân dân tỉnh", False)


def test_the_catalogue_copy_belongs_to_each_council(council, other_council):
    ours = AwardType.objects.get(council=council, code=PROVINCIAL_FLAG)
    theirs = AwardType.objects.get(council=other_council, code=PROVINCIAL_FLAG)
    assert ours.pk != theirs.pk and ours.name == theirs.name


def test_the_migration_installs_the_catalogue_for_councils_created_before_the_app(council):
    AwardType.objects.filter(council=council).delete()
    import_module("awards.migrations.0002_install_standard_catalogue").install(apps, None)
    assert AwardType.objects.filter(council=council).count() == len(STANDARD_CATALOGUE)
    assert Council.objects.count() == 1  # and no council was added


# --- Proposal constraints: the tally -------------------------------------------------------------------


def test_database_refuses_votes_for_above_ballots_cast(proposal):
    p = proposal(tally=ballot(5, 5, 4))
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(votes_for=6))


def test_database_refuses_ballots_cast_above_members_present(proposal):
    p = proposal(tally=ballot(5, 4, 4))
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(ballots_cast=5, members_present=4, votes_for=4))


def test_database_refuses_ballots_with_acclamation(proposal):
    p = proposal(tally=ballot(5, 5, 5))
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(acclamation=True))


def test_database_accepts_a_tally_at_its_limits(proposal):
    p = proposal(tally=ballot(5, 5, 5))
    assert (p.members_present, p.ballots_cast, p.votes_for) == (5, 5, 5)


def test_clean_says_which_tally_field_is_wrong(proposal):
    p = proposal(tally=ballot(5, 5, 5))
    p.votes_for, p.ballots_cast, p.members_present = 6, 5, 4
    with pytest.raises(ValidationError) as error:
        p.full_clean(exclude=["achievement_report"], validate_constraints=False)
    assert set(error.value.message_dict) == {"votes_for", "ballots_cast"}


def test_members_present_cannot_exceed_the_members_that_year(proposal):
    with pytest.raises(ValidationError) as error:
        proposal(tally=ballot(6, 6, 6))  # the bloc has 5 members
    assert "members_present" in error.value.message_dict
    assert not Proposal.objects.exists()


# --- Proposal constraints: the recipient ---------------------------------------------------------------


def test_database_refuses_a_proposal_with_neither_unit_nor_person(proposal):
    p = proposal()
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(unit=None))


def test_database_refuses_a_person_with_a_collective_name(proposal):
    p = proposal(type_code=CHAIRMAN_CERTIFICATE, person="Nguyễn Văn An")
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(collective_name="Phòng Tổng hợp"))


def test_an_individual_award_needs_a_person(proposal, awards):
    awards[CHAIRMAN_CERTIFICATE].recipient_kind = AwardType.RecipientKind.INDIVIDUAL
    awards[CHAIRMAN_CERTIFICATE].save()
    with pytest.raises(ValidationError, match="individuals"):
        proposal(type_code=CHAIRMAN_CERTIFICATE)


def test_a_collective_award_is_not_given_to_a_person(proposal):
    with pytest.raises(ValidationError, match="collectives"):
        proposal(type_code=PROVINCIAL_FLAG, person="Nguyễn Văn An")
    assert not Proposal.objects.exists()


def test_the_recipient_unit_must_be_a_member_that_year(proposal):
    with pytest.raises(ValidationError, match="not a member"):
        proposal("outside_unit")


# --- One proposal per recipient, type and bloc-year ---------------------------------------------------------


def test_database_refuses_the_same_unit_twice_for_a_type_in_a_bloc_year(proposal):
    p = proposal("LDLD")
    other = proposal("LHPN")
    refused_by_database(lambda: Proposal.objects.filter(pk=other.pk).update(unit=p.unit))


def test_the_same_unit_may_be_proposed_for_another_type_or_year(proposal):
    proposal("LDLD")
    proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE)
    proposal("LDLD", year=YEAR - 1)
    assert Proposal.objects.count() == 3


def test_database_refuses_the_same_named_collective_twice(proposal):
    proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, collective_name="Ban Tổ chức")
    other = proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, collective_name="Ban Tuyên giáo")
    refused_by_database(lambda: Proposal.objects.filter(pk=other.pk).update(collective_name="Ban Tổ chức"))


def test_a_named_collective_and_its_unit_are_different_recipients(proposal):
    proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE)
    proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, collective_name="Ban Tổ chức")
    assert Proposal.objects.count() == 2


def test_database_refuses_the_same_person_twice(proposal):
    first = proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, person="Nguyễn Văn An")
    other = proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, person="Trần Thị Bình")
    refused_by_database(lambda: Proposal.objects.filter(pk=other.pk).update(person=first.person))


def test_database_refuses_the_same_external_award_twice(council, units, awards):
    decision = Decision.objects.create(council=council, number="1/QĐ-UBND", date=date(2020, 1, 1))

    def external():
        Proposal.objects.create(
            council=council,
            year=2019,
            award_type=awards[PROVINCIAL_FLAG],
            unit=units["vice_unit"],
            status=Proposal.Status.DECIDED,
            source=Proposal.Source.EXTERNAL,
            decision=decision,
        )

    external()
    refused_by_database(external)


# --- States in the database ----------------------------------------------------------------------------------


def test_database_refuses_a_decided_proposal_without_decision_or_conference(proposal):
    p = proposal()
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(status=Proposal.Status.DECIDED))


def test_database_refuses_a_decision_on_an_undecided_proposal(proposal, council):
    p = proposal()
    decision = Decision.objects.create(council=council, number="1/QĐ-UBND", date=date(2022, 1, 1))
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(decision=decision))


def test_database_refuses_a_portal_proposal_without_a_bloc(proposal):
    p = proposal()
    refused_by_database(lambda: Proposal.objects.filter(pk=p.pk).update(bloc=None))


# --- Rules --------------------------------------------------------------------------------------------------


def test_database_refuses_an_incomplete_threshold(awards):
    refused_by_database(
        lambda: AwardRule.objects.create(award_type=awards[PROVINCIAL_FLAG], kind="threshold", base="ballots_cast")
    )


def test_database_refuses_a_threshold_above_one(awards):
    refused_by_database(
        lambda: AwardRule.objects.create(
            award_type=awards[PROVINCIAL_FLAG],
            kind="threshold",
            base="ballots_cast",
            threshold_numerator=4,
            threshold_denominator=3,
        )
    )


def test_database_refuses_a_quota_with_both_number_and_share(awards):
    refused_by_database(
        lambda: AwardRule.objects.create(
            award_type=awards[PROVINCIAL_FLAG], kind="quota", quota_number=1, quota_percent=20
        )
    )


def test_database_refuses_eligibility_without_the_required_type_or_requiring_itself(awards):
    flag = awards[PROVINCIAL_FLAG]
    refused_by_database(lambda: AwardRule.objects.create(award_type=flag, kind="eligibility"))
    refused_by_database(lambda: AwardRule.objects.create(award_type=flag, kind="eligibility", requires_type=flag))


def test_rule_clean_refuses_a_bloc_or_type_of_another_council(awards, other_council):
    other_bloc = BlocFactory(council=other_council)
    item = AwardRule(award_type=awards[PROVINCIAL_FLAG], kind="quota", quota_number=1, bloc=other_bloc)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "bloc" in error.value.message_dict


def test_saving_a_rule_clears_the_fields_of_other_kinds(rule):
    item = rule(PROVINCIAL_FLAG, "quota", quota_number=2, threshold_numerator=1, threshold_denominator=2)
    assert (item.threshold_numerator, item.threshold_denominator, item.quota_number) == (None, None, 2)


def test_rules_say_themselves_in_words(rule):
    assert (
        rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, threshold_denominator=3, base="ballots_cast").text()
        == "at least 2/3 of ballots cast; acclamation counts"
    )
    assert rule(
        CHAIRMAN_CERTIFICATE,
        "threshold",
        threshold_numerator=1,
        threshold_denominator=2,
        base="members_present",
        threshold_strict=True,
        acclamation_counts=False,
    ).text() == ("more than 1/2 of members present; acclamation does not count")
    assert rule(PROVINCIAL_FLAG, "quota", quota_percent=20).text() == (
        "at most 20% of the bloc's members per year, rounded down"
    )
    assert rule(GOVERNMENT_FLAG, "eligibility", requires=PROVINCIAL_FLAG).text() == (
        "requires Cờ thi đua của UBND tỉnh for the same recipient in the same year"
    )
    assert str(rule(CHAIRMAN_CERTIFICATE, "quota", quota_number=3)) == (
        "Bằng khen của Chủ tịch UBND tỉnh: at most 3 per bloc-year"
    )


def test_bloc_issued_type_is_known_by_its_authority(awards):
    assert awards[BLOC_EXEMPLARY_COLLECTIVE].is_bloc_issued
    assert not awards[PROVINCIAL_FLAG].is_bloc_issued


def test_text_is_stored_nfc(proposal):
    decomposed = unicodedata.normalize("NFD", "Phòng Tổng hợp")
    p = proposal(type_code=CHAIRMAN_CERTIFICATE, collective_name=decomposed, tally=ACCLAIMED)
    assert p.collective_name == unicodedata.normalize("NFC", "Phòng Tổng hợp")
