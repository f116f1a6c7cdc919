"""The demo's deadlines of 2021 and what each demo user's to-do list then says: every item true against the
demo's records (docs/domain.md, "Deadlines and the to-do list")."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocs.demo import CURRENT_YEAR, load_demo
from blocs.models import Deadline, User
from pledges.models import PledgeSignatory, PledgeVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return load_demo()


def todo_of(username: str) -> list:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("blocs:todo"), {"year": CURRENT_YEAR})
    assert response.status_code == 200
    return response.context["attention"]


def test_the_demo_has_2021_deadlines_some_passed_some_to_come(demo):
    today = timezone.localdate()
    deadlines = Deadline.objects.filter(year=2021)
    assert deadlines.filter(due_on__lt=today).exists() and deadlines.filter(due_on__gt=today).exists()
    assert deadlines.filter(bloc__isnull=False).exists()  # a bloc's own, beside the councils'
    assert set(deadlines.values_list("kind", flat=True)) == set(Deadline.Kind.values)


def test_the_an_giang_chair_sees_the_units_that_have_not_signed(demo):
    version = PledgeVersion.objects.get(pledge__bloc__code="KTĐ6", pledge__year=2021, state=PledgeVersion.State.SIGNING)
    unsigned = PledgeSignatory.objects.filter(version=version, signed_on__isnull=True).count()
    total = version.signatories.count()
    assert (unsigned, total) == (3, 8)
    for username in ("khoitruong", "khoipho"):
        [line] = [item for item in todo_of(username) if "chưa ký giao ước" in item.text]
        assert "3/8 chưa ký giao ước thi đua năm 2021" in line.text and line.count == 3
        assert line.deadline.due_on.strftime("%d/%m/%Y") == "31/03/2021" and line.level == "danger"


def test_a_demo_member_sees_exactly_what_its_unit_owes(demo):
    member = User.objects.get(username="thanhvien")
    version = PledgeVersion.objects.get(pledge__bloc__code="KTĐ6", pledge__year=2021, state=PledgeVersion.State.SIGNING)
    owes_signature = PledgeSignatory.objects.filter(version=version, unit=member.unit, signed_on__isnull=True).exists()
    texts = [item.text for item in todo_of("thanhvien")]
    assert any("chờ chữ ký của đơn vị bạn" in text for text in texts) == owes_signature
    assert not any("chưa ký giao ước" in text for text in texts)  # the count is the seat holders'


def test_the_demo_officers_see_the_late_blocs_of_their_own_council_only(demo):
    for username, council_word in (("canbo.backan", "Bắc Kạn"), ("canbo.tuyenquang", "Tuyên Quang")):
        items = todo_of(username)
        late = [item for item in items if "trễ" in item.text]
        assert late, username
        officer = User.objects.get(username=username)
        for item in late:
            for line in item.details:
                assert line.deadline.council_id == officer.council_id, (username, line.text)
        assert council_word in officer.council.name


def test_every_demo_users_todo_page_opens(demo):
    for user in User.objects.filter(is_active=True):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("blocs:todo")).status_code == 200, user.username
