"""Finalising a meeting's minutes tells the users of the bloc's member units of the meeting's year (not a
unit of another year, nobody outside the bloc, no officer), in the finalisation's transaction; recording a
conference tells what its sections decided (the bloc's own awards, a pledge whose signing it opened) through
the services of the apps that own them, and a record refused as a whole tells nobody."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from blocs.models import Notification
from blocs.services import email_opt_outs_set
from meetings import services

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory, UserFactory
from ..notify import NEVER_TOLD, mailed_to, only, told, with_addresses

pytestmark = pytest.mark.django_db

K = Notification.Kind


@pytest.fixture
def other_years(bloc, council, units):
    """A user of a unit that joined in the next year, one of a unit that left the year before, and one of a
    member without a seat (the farmers)."""
    newcomer = UnitFactory(council=council, name="Liên minh Hợp tác xã tỉnh")
    MembershipFactory(bloc=bloc, unit=newcomer, first_year=YEAR + 1)
    former = UnitFactory(council=council, name="Đoàn Thanh niên tỉnh")
    MembershipFactory(bloc=bloc, unit=former, first_year=2018, last_year=YEAR - 1)
    UserFactory(username="newcomer", council=council, unit=newcomer)
    UserFactory(username="former", council=council, unit=former)
    UserFactory(username="farmer", council=council, unit=units["farmers"])


def test_final_minutes_tell_the_members_of_the_year(meeting, record, users, other_years, bloc):
    record()
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    assert set(told(K.MINUTES_FINAL)) == {"chair", "vice_chair", "member", "farmer"}
    assert not set(told(K.MINUTES_FINAL)) & (NEVER_TOLD | {"officer"})
    notice = only(K.MINUTES_FINAL, "farmer")
    assert notice.title == (
        f"{bloc.name}, năm {YEAR}: biên bản Hội nghị tổng kết công tác thi đua, khen thưởng năm {YEAR} "
        "đã là bản chính thức"
    )
    assert notice.url == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert notice.body == "Hội nghị họp ngày 28/12/2021."


def test_a_corrected_version_says_why(meeting, record, users):
    record()
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    services.minutes_correction_start(meeting=meeting, reason="Sửa số phiếu bầu.", by=users["chair"])
    record(report_summary="Năm 2021 (bản sửa đổi).")
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    (_first, second) = told(K.MINUTES_FINAL)["member"]
    assert second.body.endswith("Phiên bản 2, bản đính chính. Lý do: Sửa số phiếu bầu.")


def test_recording_a_conference_tells_its_own_awards_and_the_pledge_it_opened(record, pledge_2022, users):
    record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    # The collective of LĐLĐ (a vice-chair's unit) and the individual of LHPN (the member).
    assert set(told(K.PROPOSAL_DECIDED)) == {"chair", "vice_chair", "member"}
    assert set(told(K.SIGNING_OPENED)) == {"chair", "vice_chair", "member"}
    assert f"năm {YEAR + 1} đã mở ký" in only(K.SIGNING_OPENED, "member").title
    assert not told(K.MINUTES_FINAL)  # the minutes are a draft until finalised


def test_a_record_refused_as_a_whole_tells_nobody(record, pledge_2022, units, users):
    # The bloc's awards and the pledge are recorded, the election (of a unit outside the bloc) is refused:
    # the whole record rolls back, the notices with it.
    election = services.ElectionEntry(chair=units["outside_unit"], vice_chairs=[])
    with pytest.raises(ValidationError):
        record(election=election, pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    assert not Notification.objects.exists()


def test_an_opt_out_keeps_the_notice_but_sends_no_mail(
    meeting, record, users, mailoutbox, django_capture_on_commit_callbacks
):
    record()
    with_addresses(users)
    email_opt_outs_set(user=users["vice_chair"], muted_kinds=[K.MINUTES_FINAL])
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    assert only(K.MINUTES_FINAL, "vice_chair").email == Notification.Email.OFF
    assert mailed_to(mailoutbox) == {"chair", "member"}
    assert all("đã là bản chính thức" in message.subject for message in mailoutbox)


def test_a_finalisation_rolled_back_tells_nobody(
    meeting, record, users, mailoutbox, django_capture_on_commit_callbacks
):
    record()
    Notification.objects.all().delete()
    with_addresses(users)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
            raise RuntimeError("the caller fails after the finalisation")
    assert not Notification.objects.exists()
    assert mailoutbox == []
