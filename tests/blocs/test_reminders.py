"""``manage.py send_reminders`` (docs/domain.md, "Deadlines and the to-do list"): each reminder once, to
those who still owe the thing and to nobody outside the bloc; the e-mail after the notice, per the
user's choice."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from blocs import services
from blocs.models import EmailOptOut, Notification
from blocs.reminders import REMINDER_PASSED_WITHIN, reminder_step
from tests.fixtures.pledges import head_signs

YEAR = 2021
pytestmark = pytest.mark.django_db


def run(today: date, *, dry_run: bool = False) -> str:
    out = StringIO()
    args = ["--today", today.strftime("%d/%m/%Y")] + (["--dry-run"] if dry_run else [])
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def told(key_part: str = "") -> set[str]:
    return set(reminders().filter(key__contains=key_part).values_list("user__username", flat=True))


def reminders():
    """The reminders' notices (the pledge's opening told the members too, in its own notice)."""
    return Notification.objects.filter(key__startswith="deadline:")


@pytest.fixture
def with_addresses(users):
    for role, user in users.items():
        if user is not None:
            user.email = f"{role}@example.vn"
            user.save()
    return users


@pytest.mark.parametrize(
    ("left", "step"), [(30, None), (8, None), (7, "7"), (5, "7"), (1, "1"), (0, "1"), (-1, "passed")]
)
def test_the_step_of_a_deadline_is_the_nearest_reminder_it_is_within(left, step):
    assert reminder_step(left, [7, 1]) == step


def test_a_signing_deadline_reminds_the_units_that_have_not_signed_once(council, signing, users, units, with_addresses):
    today = date(2021, 3, 24)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=7))
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    output = run(today)
    assert told(":7") == {"chair", "vice_chair"}  # the member signed; the outsider is no member
    assert "31/03/2021" in output and "còn 7 ngày" in output
    assert len(mail.outbox) == 2
    assert run(today).count("→") == 0 and Notification.objects.filter(key__startswith="deadline:").count() == 2
    assert run(today + timedelta(days=2)).count("→") == 0  # still within the 7-day step
    run(today + timedelta(days=6))  # the day before: the 1-day step
    assert told(":1") == {"chair", "vice_chair"}


def test_a_passed_deadline_tells_the_owing_units_and_the_seat_holders_never_anyone_outside(
    council, signing, users, units, with_addresses
):
    due = date(2021, 3, 31)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=due)
    for key in ("chair_unit", "vice_unit"):
        head_signs(signing, unit=units[key], by=users["chair" if key == "chair_unit" else "vice_chair"])
    run(due + timedelta(days=1))
    notices = Notification.objects.filter(kind=Notification.Kind.DEADLINE_PASSED)
    assert set(notices.values_list("user__username", flat=True)) == {"member", "chair", "vice_chair"}
    assert "outsider" not in told() and "other_officer" not in told() and "officer" not in told()
    member = notices.get(user=users["member"])
    assert "chờ chữ ký của đơn vị bạn" in member.body and member.url.endswith("/sign/")


def test_a_deadline_long_passed_is_history_not_a_reminder(council, signing, with_addresses):
    due = date(2021, 3, 31)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=due)
    run(due + timedelta(days=REMINDER_PASSED_WITHIN + 1))
    assert not reminders().exists()


def test_a_moved_deadline_is_reminded_again(council, signing, with_addresses):
    today = date(2021, 3, 24)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=7))
    run(today)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=5))
    run(today)
    assert reminders().filter(user__username="member").count() == 2


def test_a_dry_run_prints_and_changes_nothing(council, signing, with_addresses):
    today = date(2021, 3, 24)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=1))
    output = run(today, dry_run=True)
    assert "(thử)" in output and "member" in output
    assert not reminders().exists() and not mail.outbox


def test_a_user_who_turned_off_the_kind_sees_the_notice_but_gets_no_email(council, signing, users, with_addresses):
    EmailOptOut.objects.create(user=users["member"], kind=Notification.Kind.DEADLINE_SOON)
    today = date(2021, 3, 24)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=1))
    run(today)
    member = reminders().get(user=users["member"])
    assert member.email == Notification.Email.OFF
    recipients = [address for message in mail.outbox for address in message.to]
    assert "member@example.vn" not in recipients and "chair@example.vn" in recipients


def test_a_user_without_an_address_is_told_in_the_portal(council, signing, users):
    today = date(2021, 3, 24)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=1))
    run(today)
    assert reminders().get(user=users["member"]).email == Notification.Email.NO_ADDRESS
    assert not mail.outbox


def test_a_bloc_kind_reminds_the_seat_holders(council, bloc, seats, users, with_addresses):
    """The conference is the bloc's to hold: its chair and vice-chairs are reminded, the members are not."""
    today = date(2021, 12, 30)
    services.deadline_set(council=council, year=YEAR, kind="conference", due_on=today + timedelta(days=1))
    run(today)
    assert told("conference") == {"chair", "vice_chair"}


def test_the_reminders_query_count_does_not_grow_with_blocs(council, signing, users, django_assert_max_num_queries):
    from blocs.reminders import reminders_due
    from tests.factories import BlocFactory, MembershipFactory, UnitFactory

    today = date(2021, 3, 24)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=today + timedelta(days=1))
    services.deadline_set(council=council, year=YEAR, kind="conference", due_on=today + timedelta(days=1))
    for i in range(8):
        extra = BlocFactory(council=council, code=f"K{i}")
        MembershipFactory(bloc=extra, unit=UnitFactory(council=council), first_year=2018)
    with django_assert_max_num_queries(12):
        assert reminders_due(today=today)


def test_today_is_the_default_and_a_bad_day_is_refused(council):
    from django.core.management.base import CommandError

    assert "0 thông báo" in run(timezone.localdate())
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "2021-03-24")
