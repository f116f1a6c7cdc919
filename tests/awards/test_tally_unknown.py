"""A tally not recorded (no counts, no acclamation: the record does not say) is a valid answer (the
portal records what happened, never an invented count): the dossier takes it once the vote-threshold
warning it raises has its written reason, and still refuses it without one."""

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Proposal, Submission

from ..fixtures.awards import reload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]
NOT_RECORDED = services.Tally()


@pytest.fixture
def unknown(proposal, rule):
    """A draft of the provincial flag under a two-thirds rule, its tally not recorded, registration explained."""
    threshold = rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, threshold_denominator=3, base="ballots_cast")
    p = proposal("LDLD", tally=NOT_RECORDED)
    services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)
    return p, f"rule:{threshold.pk}"


def test_a_tally_not_recorded_with_the_threshold_warnings_reason_can_be_submitted(unknown, walk):
    p, key = unknown
    services.proposal_reason_set(proposal=p, key=key, reason="Biên bản không ghi số phiếu.", by=None)
    assert services.dossier_check(bloc=p.bloc, year=p.year, proposals=[reload(p)]) == []
    walk.submit(reload(p))
    assert reload(p).status == Proposal.Status.SUBMITTED
    assert (reload(p).votes_for, reload(p).ballots_cast, reload(p).acclamation) == (None, None, False)


def test_a_tally_not_recorded_without_the_reason_is_refused_once_and_says_what_to_do(unknown, walk):
    p, _key = unknown
    with pytest.raises(ValidationError) as error:
        walk.submit(p)
    messages = error.value.messages
    about_tally = [m for m in messages if "tally" in m]
    assert about_tally == [
        "Liên đoàn Lao động tỉnh (Cờ thi đua của UBND tỉnh): the tally was not recorded: enter the counts or "
        "the acclamation, or write on its vote-threshold warning why they are unknown."
    ], messages
    assert reload(p).status == Proposal.Status.DRAFT and not Submission.objects.exists()


def test_a_tally_not_recorded_still_meets_the_other_rules(unknown, rule, proposal, walk):
    """The reason explains the unknown tally only: a blocking rule (here the quota of one) still refuses."""
    p, key = unknown
    services.proposal_reason_set(proposal=p, key=key, reason="Biên bản không ghi số phiếu.", by=None)
    rule(PROVINCIAL_FLAG, "quota", quota_number=1)
    other = proposal("LHPN")
    services.proposal_reason_set(proposal=other, key="registration", reason="Đăng ký bổ sung.", by=None)
    with pytest.raises(ValidationError):
        walk.submit(reload(p), reload(other))
    assert reload(p).status == Proposal.Status.DRAFT and not Submission.objects.exists()


def test_a_tally_not_recorded_under_no_threshold_rule_is_accepted(proposal, walk):
    p = proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, tally=NOT_RECORDED)
    services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)
    walk.submit(reload(p))
    assert reload(p).status == Proposal.Status.SUBMITTED
