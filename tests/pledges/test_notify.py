"""Opening a pledge's signing tells the users of every signatory unit, in the opening's transaction: the
title names the bloc and the year, the link is the unit's signing page; nobody outside the bloc, no
officer and no inactive account is told, a rolled-back opening tells nobody, and a user who turned the
kind's e-mail off still finds the notice in the portal."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from blocs.models import Notification
from blocs.services import email_opt_outs_set
from pledges.services import pledge_correction_start, pledge_signing_open

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory, UserFactory
from ..notify import NEVER_TOLD, mailed_to, only, told, with_addresses

pytestmark = pytest.mark.django_db

KIND = Notification.Kind.SIGNING_OPENED


def test_every_signatory_units_users_are_told_and_nobody_else(drafting, users):
    pledge_signing_open(version=drafting, by=users["chair"])
    assert set(told(KIND)) == {"chair", "vice_chair", "member"}
    assert not set(told(KIND)) & (NEVER_TOLD | {"officer"})
    notice = only(KIND, "member")
    assert notice.title == f"{drafting.pledge.bloc.name}: giao ước thi đua năm {YEAR} đã mở ký"
    assert notice.url == reverse("pledges:pledge_sign", args=[drafting.pledge.pk])
    assert "ký giao ước trên cổng" in notice.body
    assert all(len(notices) == 1 for notices in told(KIND).values())


def test_a_unit_outside_the_year_and_an_inactive_account_are_not_told(bloc, council, drafting, users, units):
    former = UnitFactory(council=council, name="Đoàn Thanh niên tỉnh")
    MembershipFactory(bloc=bloc, unit=former, first_year=2018, last_year=YEAR - 1)
    UserFactory(username="former", council=council, unit=former)
    UserFactory(username="retired", council=council, unit=units["member_unit"], is_active=False)
    pledge_signing_open(version=drafting, by=users["chair"])
    assert set(told(KIND)) == {"chair", "vice_chair", "member"}


def test_a_correction_says_so_with_its_reason(final, users):
    correction = pledge_correction_start(
        pledge=final.pledge, reason="Sửa tên đơn vị.\nBổ sung chỉ tiêu 3.", by=users["officer"]
    )
    pledge_signing_open(version=correction, by=users["officer"])
    (first, second) = told(KIND)["member"]
    assert "Phiên bản" not in first.body
    assert "Phiên bản 2, bản đính chính. Lý do: Sửa tên đơn vị.\nBổ sung chỉ tiêu 3." in second.body


def test_an_opt_out_keeps_the_notice_but_sends_no_mail(drafting, users, mailoutbox, django_capture_on_commit_callbacks):
    with_addresses(users)
    email_opt_outs_set(user=users["member"], muted_kinds=[KIND])
    with django_capture_on_commit_callbacks(execute=True):
        pledge_signing_open(version=drafting, by=users["chair"])
    assert only(KIND, "member").email == Notification.Email.OFF
    assert only(KIND, "chair").email == Notification.Email.SENT
    assert mailed_to(mailoutbox) == {"chair", "vice_chair"}
    assert all("giao ước thi đua năm 2021 đã mở ký" in message.subject for message in mailoutbox)
    assert reverse("pledges:pledge_sign", args=[drafting.pledge.pk]) in mailoutbox[0].body


def test_an_opening_rolled_back_tells_nobody(drafting, users, mailoutbox, django_capture_on_commit_callbacks):
    with_addresses(users)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            pledge_signing_open(version=drafting, by=users["chair"])
            raise RuntimeError("the caller fails after the opening")
    assert not Notification.objects.exists()
    assert mailoutbox == []
