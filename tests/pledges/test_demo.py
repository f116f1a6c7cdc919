"""The demo pledges: the two signings the seed articles state, the invented partial one, and a second
run that writes nothing."""

from datetime import date

import pytest
from django.apps import apps

from blocs import registry
from blocs.demo import load_demo
from pledges.demo import load_pledges_demo
from pledges.models import Pledge

pytestmark = pytest.mark.django_db


def pledge(council_name: str, code: str, year: int) -> Pledge:
    return Pledge.objects.get(bloc__council__name=council_name, bloc__code=code, year=year)


def pledge_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_app_config("pledges").get_models()}


@pytest.fixture
def demo(db, monkeypatch):
    # The base demo plus this app's step only: other apps' demo steps are tested in their own modules.
    monkeypatch.setattr(registry, "demo_loaders", [load_pledges_demo])
    return load_demo()


def test_bac_kan_2021_pledge_was_signed_by_all_six_at_the_conference_of_29_12_2020(demo):
    version = pledge("Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn", "KMTTQ", 2021).versions.get()
    assert version.is_final and not version.closed_early
    assert version.signing_date == date(2020, 12, 29)
    rows = list(version.signatories.order_by("position").values_list("unit_name", "signed_on"))
    assert [name for name, _ in rows] == [
        "Ủy ban MTTQ Việt Nam tỉnh",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Liên đoàn Lao động tỉnh",
        "Hội Cựu chiến binh tỉnh",
        "Hội Nông dân tỉnh",
        "Đoàn TNCS Hồ Chí Minh tỉnh",
    ]
    assert {signed_on for _, signed_on in rows} == {date(2020, 12, 29)}
    assert version.sections.count() == 3


def test_party_agencies_2022_pledge_was_signed_by_all_nine_on_27_12_2021(demo):
    version = pledge("Hội đồng Thi đua – Khen thưởng tỉnh Tuyên Quang", "KCQTU", 2022).versions.get()
    assert version.is_final
    assert version.signatories.count() == 9
    assert set(version.signatories.values_list("signed_on", flat=True)) == {date(2021, 12, 27)}
    assert "Ủy ban Kiểm tra Tỉnh ủy" in version.signatories.values_list("unit_name", flat=True)


def test_an_giang_2021_pledge_is_partly_signed_and_waits_for_the_demo_member(demo):
    version = pledge("Hội đồng Thi đua – Khen thưởng tỉnh An Giang", "KTĐ6", 2021).versions.get()
    assert version.is_signing
    assert version.signatories.count() == 8
    assert version.signatories.filter(signed_on__isnull=False).count() == 5
    waiting = version.signatories.get(unit__code="LHPN")
    assert not waiting.is_signed  # the demo login "thanhvien" signs it
    assert version.signatories.get(unit__code="CTD").method == "portal"


def test_a_second_run_writes_nothing(demo):
    before = pledge_rows()
    assert not load_demo().wrote_anything
    assert pledge_rows() == before
