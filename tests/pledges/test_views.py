"""Pledge pages: every view with the six roles and another council's officer (GET and POST, nothing
changes on a refusal), the editor's conflict handling, uploads, signing, the home page, the bloc and
unit pages, and query counts that do not grow with the number of signatories."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.services import seats_set
from documents.models import IssuedDocument
from pledges.models import Pledge, PledgeScan, PledgeVersion
from pledges.services import pledge_scan_upload

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..fixtures.pledges import SIGNING_DAY, head_signs, make_draft
from ..roles import CONFIRMED, FORBIDDEN, MANAGERS, NOT_FOUND, OK, READERS, REDIRECT, ROLES, expect

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


PREPARERS = MANAGERS
# Users of a signatory unit sign; an officer has no unit.
SIGNERS = expect(member=OK, vice_chair=OK, chair=OK, officer=FORBIDDEN)


@pytest.fixture
def state(request, bloc, units, seats, users, heads):
    """A pledge of YEAR in the state a matrix row names (None: no pledge yet)."""
    from pledges.services import pledge_signatures_record, pledge_signing_open

    wanted = request.param
    if wanted is None:
        return None
    version = make_draft(bloc, by=users["officer"])
    if wanted in ("signing", "final"):
        version = pledge_signing_open(version=version, by=users["chair"])
        pledge_scan_upload(version=version, file=SimpleUploadedFile("ban-ky.pdf", PDF), by=users["chair"])
    if wanted == "final":
        pledge_signatures_record(version=version, signed_on=SIGNING_DAY, by=users["chair"])
        version.refresh_from_db()
    return version


def _pledge(f):
    return Pledge.objects.get(bloc=f["bloc"], year=YEAR)


GET_MATRIX = [
    # (name, state of the YEAR pledge, url builder, expected)
    ("detail_without_pledge", None, lambda f: reverse("pledges:pledge_detail", args=[f["bloc"].pk, YEAR]), READERS),
    ("detail_drafting", "drafting", lambda f: reverse("pledges:pledge_detail", args=[f["bloc"].pk, YEAR]), READERS),
    ("detail_signing", "signing", lambda f: reverse("pledges:pledge_detail", args=[f["bloc"].pk, YEAR]), READERS),
    (
        "detail_final_v1",
        "final",
        lambda f: reverse("pledges:pledge_detail", args=[f["bloc"].pk, YEAR]) + "?v=1",
        READERS,
    ),
    ("edit", "drafting", lambda f: reverse("pledges:pledge_edit", args=[_pledge(f).pk]), PREPARERS),
    ("open_signing", "drafting", lambda f: reverse("pledges:pledge_signing_open", args=[_pledge(f).pk]), PREPARERS),
    ("sign", "signing", lambda f: reverse("pledges:pledge_sign", args=[_pledge(f).pk]), SIGNERS),
    ("record", "signing", lambda f: reverse("pledges:pledge_signatures_record", args=[_pledge(f).pk]), PREPARERS),
    ("finalise", "signing", lambda f: reverse("pledges:pledge_finalise", args=[_pledge(f).pk]), PREPARERS),
    ("correction", "final", lambda f: reverse("pledges:pledge_correction", args=[_pledge(f).pk]), PREPARERS),
    ("scan_upload", "signing", lambda f: reverse("pledges:pledge_scan_upload", args=[_pledge(f).pk, 1]), PREPARERS),
    (
        "scan_download",
        "signing",
        lambda f: reverse("pledges:pledge_scan_download", args=[PledgeScan.objects.get().pk]),
        READERS,
    ),
    ("pdf_draft", "drafting", lambda f: reverse("pledges:pledge_pdf", args=[_pledge(f).pk, 1]), READERS),
    ("pdf_final", "final", lambda f: reverse("pledges:pledge_pdf", args=[_pledge(f).pk, 1]), READERS),
    ("docx_draft", "drafting", lambda f: reverse("pledges:pledge_docx", args=[_pledge(f).pk, 1]), READERS),
    ("docx_signing", "signing", lambda f: reverse("pledges:pledge_docx", args=[_pledge(f).pk, 1]), READERS),
    ("docx_final", "final", lambda f: reverse("pledges:pledge_docx", args=[_pledge(f).pk, 1]), READERS),
    # Before signing opens, readers are sent back to the pledge page with a message.
    (
        "sign_while_drafting",
        "drafting",
        lambda f: reverse("pledges:pledge_sign", args=[_pledge(f).pk]),
        expect(member=REDIRECT, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
]


@pytest.fixture
def fixtures(bloc, units, seats, users):
    return {"bloc": bloc, "units": units, "users": users}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "state", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX], indirect=["state"]
)
def test_get_permissions(client_as, fixtures, state, role, name, url, expected):
    response = client_as(role).get(url(fixtures))
    assert response.status_code == expected[role], f"{name} as {role}"
    if role == "anonymous":
        assert response.url.startswith(reverse("blocs:login"))
    elif expected[role] == REDIRECT:
        assert response.url.startswith(reverse("pledges:pledge_detail", args=[fixtures["bloc"].pk, YEAR]))


# POSTs: (name, state, url, data, expected status for the roles that may, check that the change happened)


def _version(f) -> PledgeVersion:
    return _pledge(f).versions.order_by("-number").first()


def _draft_data(f, title="Giao ước thi đua năm 2021 (sửa)"):
    version = _version(f)
    data = {
        "revision": version.revision,
        "title": title,
        "signing_date": "2020-12-29",
        "signing_place": "Hội trường",
        "preamble": version.preamble,
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-heading": "Mục tiêu",
        "sections-0-body": "Hoàn thành.",
        "sections-0-ORDER": "1",
    }
    return data


def _record_data(f):
    data = {"signed_on": "2020-12-29"}
    for unit in f["units"].values():
        data[f"signed_{unit.pk}"] = "on"
    return data


POST_MATRIX = [
    (
        "create",
        None,
        lambda f: reverse("pledges:pledge_create", args=[f["bloc"].pk, YEAR]),
        lambda f: {},
        lambda f: Pledge.objects.filter(bloc=f["bloc"], year=YEAR).exists(),
    ),
    (
        "edit",
        "drafting",
        lambda f: reverse("pledges:pledge_edit", args=[_pledge(f).pk]),
        _draft_data,
        lambda f: _version(f).title.endswith("(sửa)"),
    ),
    (
        "open_signing",
        "drafting",
        lambda f: reverse("pledges:pledge_signing_open", args=[_pledge(f).pk]),
        lambda f: CONFIRMED,
        lambda f: _version(f).is_signing,
    ),
    (
        "record",
        "signing",
        lambda f: reverse("pledges:pledge_signatures_record", args=[_pledge(f).pk]),
        _record_data,
        lambda f: _version(f).signatories.filter(signed_on__isnull=False).exists(),
    ),
    (
        "finalise",
        "signing",
        lambda f: reverse("pledges:pledge_finalise", args=[_pledge(f).pk]),
        lambda f: {"confirm": "on", **CONFIRMED},
        lambda f: _version(f).is_final,
    ),
    (
        "correction",
        "final",
        lambda f: reverse("pledges:pledge_correction", args=[_pledge(f).pk]),
        lambda f: {"reason": "Sửa chỉ tiêu"},
        lambda f: _pledge(f).versions.count() == 2,
    ),
    (
        "scan_upload",
        "final",
        lambda f: reverse("pledges:pledge_scan_upload", args=[_pledge(f).pk, 1]),
        lambda f: {"file": SimpleUploadedFile("scan.png", PNG)},
        lambda f: PledgeScan.objects.count() == 2,
    ),
    (
        "pdf_issue",
        "final",
        lambda f: reverse("pledges:pledge_pdf_issue", args=[_pledge(f).pk, 1]),
        lambda f: CONFIRMED,
        lambda f: IssuedDocument.objects.exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "state", "url", "data", "changed"), POST_MATRIX, ids=[row[0] for row in POST_MATRIX], indirect=["state"]
)
def test_post_permissions_and_nothing_changes_on_refusal(client_as, fixtures, state, role, name, url, data, changed):
    if name == "finalise":  # one unit signed, so the chair may close signing early
        head_signs(
            state,
            unit=fixtures["units"]["chair_unit"],
            by=fixtures["users"]["chair"],
            signatory_name="Trần Thị Bích Vân",
            signatory_title="Chủ tịch",
        )
    expected = PREPARERS[role]
    response = client_as(role).post(url(fixtures), data(fixtures))
    if expected == OK:
        assert response.status_code == REDIRECT, f"{name} as {role}: {response.status_code}"
        assert changed(fixtures), f"{name} as {role} changed nothing"
    else:
        assert response.status_code == expected, f"{name} as {role}"
        assert not changed(fixtures), f"{name} as {role} changed something"


@pytest.mark.parametrize("role", ROLES)
def test_only_a_signatory_units_user_signs_and_only_for_its_own_unit(client_as, signing, units, role):
    url = reverse("pledges:pledge_sign", args=[signing.pledge.pk])
    response = client_as(role).post(
        url, {"signatory_name": "Người Ký", "signatory_title": "Chủ tịch", "signed_on": "2020-12-29"}
    )
    assert response.status_code == {**SIGNERS, "member": REDIRECT, "vice_chair": REDIRECT, "chair": REDIRECT}[role]
    signed = list(signing.signatories.filter(signed_on__isnull=False).values_list("unit__code", "signatory_name"))
    own = {"member": "LHPN", "vice_chair": "LDLD", "chair": "MTTQ"}
    assert signed == ([(own[role], "Người Ký")] if role in own else [])


# Behaviour -------------------------------------------------------------------------------------------


def test_the_page_shows_progress_and_the_members_own_sign_button(client_as, signing, units, users):
    head_signs(signing, unit=units["chair_unit"], by=users["chair"])
    response = client_as("member").get(signing.pledge.get_absolute_url())
    assert response.context["progress"].startswith("1/5 ")  # "1/5 đơn vị đã ký" once translated
    page = response.content.decode()
    assert 'id="sign-button"' in page
    assert reverse("pledges:pledge_signatures_record", args=[signing.pledge.pk]) not in page  # buttons per permission
    chair_page = client_as("chair").get(signing.pledge.get_absolute_url()).content.decode()
    assert 'id="sign-button"' not in chair_page  # the chair's unit signed already
    assert reverse("pledges:pledge_signatures_record", args=[signing.pledge.pk]) in chair_page


def test_member_signs_with_a_corrected_name_and_sees_progress(client_as, signing, units):
    client = client_as("member")
    url = reverse("pledges:pledge_sign", args=[signing.pledge.pk])
    assert client.get(url).context["form"].initial["signatory_name"] == "Nguyễn Thị Kim Loan"
    response = client.post(
        url,
        {"signatory_name": "Phạm Thị Hoa", "signatory_title": "Phó Chủ tịch", "signed_on": "2020-12-29"},
        follow=True,
    )
    assert response.context["progress"].startswith("1/5 ")
    row = signing.signatories.get(unit=units["member_unit"])
    assert (row.signatory_name, row.signatory_title, row.confirmed) == ("Phạm Thị Hoa", "Phó Chủ tịch", True)
    # Signing twice is not offered, and a second POST changes nothing.
    again = client.post(url, {"signatory_name": "Khác", "signatory_title": "", "signed_on": "2020-12-30"})
    assert again.status_code == REDIRECT
    row.refresh_from_db()
    assert row.signatory_name == "Phạm Thị Hoa"


def test_a_stale_draft_save_is_refused_with_the_current_text_shown(client_as, drafting):
    client = client_as("chair")
    url = reverse("pledges:pledge_edit", args=[drafting.pledge.pk])
    stale = _draft_data({"bloc": drafting.pledge.bloc}, title="Bản của chủ tịch")
    # The vice-chair saves first, from the same revision.
    first = client_as("vice_chair").post(url, {**stale, "title": "Bản của khối phó"})
    assert first.status_code == REDIRECT
    response = client_as("chair").post(url, stale)
    assert response.status_code == OK
    page = response.content.decode()
    assert "Người khác đã lưu" in page or "Someone else saved this draft meanwhile" in page
    assert 'id="conflict"' in page and "Bản của khối phó" in page
    assert response.context["form"]["title"].value() == "Bản của chủ tịch"  # the user's text is kept
    drafting.refresh_from_db()
    assert drafting.title == "Bản của khối phó"
    # Saving again, knowingly, replaces it.
    again = client.post(url, {**stale, "revision": response.context["form"]["revision"].value()})
    assert again.status_code == REDIRECT
    drafting.refresh_from_db()
    assert drafting.title == "Bản của chủ tịch"


def test_the_editor_reorders_and_removes_sections(client_as, drafting):
    url = reverse("pledges:pledge_edit", args=[drafting.pledge.pk])
    data = {
        "revision": drafting.revision,
        "title": drafting.title,
        "signing_date": "",
        "signing_place": "",
        "preamble": "",
        "sections-TOTAL_FORMS": "4",
        "sections-INITIAL_FORMS": "3",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(drafting.sections.order_by("position")):
        data.update(
            {
                f"sections-{i}-heading": section.heading,
                f"sections-{i}-body": section.body,
                f"sections-{i}-ORDER": str(3 - i),
            }
        )
    data["sections-1-DELETE"] = "on"
    data.update({"sections-3-heading": "Khen thưởng", "sections-3-body": "", "sections-3-ORDER": "9"})
    response = client_as("chair").post(url, data)
    assert response.status_code == REDIRECT
    assert list(drafting.sections.values_list("heading", flat=True)) == ["Tổ chức thực hiện", "Mục tiêu", "Khen thưởng"]


def test_a_body_without_heading_gets_a_message_next_to_the_field(client_as, drafting):
    data = _draft_data({"bloc": drafting.pledge.bloc})
    data["sections-0-heading"] = ""
    response = client_as("chair").post(reverse("pledges:pledge_edit", args=[drafting.pledge.pk]), data)
    assert response.status_code == OK
    assert response.context["formset"].forms[0].errors["heading"]
    drafting.refresh_from_db()
    assert drafting.sections.count() == 3


def test_start_from_last_years_pledge_is_one_click(client_as, final, bloc):
    page = client_as("chair").get(reverse("pledges:pledge_detail", args=[bloc.pk, YEAR + 1])).content.decode()
    assert 'name="start_copy"' in page
    response = client_as("chair").post(
        reverse("pledges:pledge_create", args=[bloc.pk, YEAR + 1]), {"copy_from": final.pledge.pk}
    )
    pledge = Pledge.objects.get(bloc=bloc, year=YEAR + 1)
    assert response.url == reverse("pledges:pledge_edit", args=[pledge.pk])
    assert pledge.versions.get().sections.count() == 3


def test_the_outgoing_chair_drafts_next_year_until_its_signing_opens(client_as, bloc, units, users):
    from pledges.services import SectionText, pledge_draft_save, pledge_signing_open

    client = client_as("chair")
    assert client.post(reverse("pledges:pledge_create", args=[bloc.pk, YEAR + 1])).status_code == REDIRECT
    pledge = Pledge.objects.get(bloc=bloc, year=YEAR + 1)
    assert client.get(reverse("pledges:pledge_edit", args=[pledge.pk])).status_code == OK
    seats_set(bloc=bloc, year=YEAR + 1, chair=units["vice_unit"], vice_chairs=[units["farmers"]], by=None)
    assert client.get(reverse("pledges:pledge_edit", args=[pledge.pk])).status_code == OK  # alongside 2022's holders
    version = pledge.versions.get()
    version = pledge_draft_save(
        version=version,
        revision=version.revision,
        title=version.title,
        preamble="",
        signing_date=None,
        signing_place="",
        sections=[SectionText("Mục tiêu", "")],
        by=None,
    )
    pledge_signing_open(version=version, by=None)
    assert client.get(reverse("pledges:pledge_signatures_record", args=[pledge.pk])).status_code == FORBIDDEN
    assert client.get(pledge.get_absolute_url()).status_code == OK  # still reads it: a member in 2022
    record = reverse("pledges:pledge_signatures_record", args=[pledge.pk])
    assert client_as("vice_chair").get(record).status_code == OK  # 2022's chair


def test_a_chair_manages_only_the_own_blocs_pledge(client_as, council, units, users):
    # The chair's unit is a plain member of another bloc: it reads that bloc's pledge but cannot change it.
    other = BlocFactory(council=council)
    MembershipFactory(bloc=other, unit=units["chair_unit"], first_year=2018)
    MembershipFactory(bloc=other, unit=units["farmers"], first_year=2018)
    version = make_draft(other, by=users["officer"])
    client = client_as("chair")
    assert client.get(version.pledge.get_absolute_url()).status_code == OK
    assert client.get(reverse("pledges:pledge_edit", args=[version.pledge.pk])).status_code == FORBIDDEN
    assert client.post(reverse("pledges:pledge_signing_open", args=[version.pledge.pk])).status_code == FORBIDDEN
    version.refresh_from_db()
    assert version.is_drafting
    # A bloc it never belonged to does not exist for it.
    stranger = BlocFactory(council=council)
    MembershipFactory(bloc=stranger, unit=units["farmers"], first_year=2018)
    assert client.get(reverse("pledges:pledge_detail", args=[stranger.pk, YEAR])).status_code == NOT_FOUND


def test_a_past_member_does_not_read_a_year_it_was_not_a_member(client_as, bloc, units):
    membership = bloc.memberships.get(unit=units["member_unit"])
    membership.last_year = YEAR - 1
    membership.save()
    client = client_as("member")
    assert client.get(reverse("pledges:pledge_detail", args=[bloc.pk, YEAR])).status_code == FORBIDDEN
    assert client.get(reverse("pledges:pledge_detail", args=[bloc.pk, YEAR - 1])).status_code == OK


def test_upload_errors_are_shown_next_to_the_field_in_vietnamese(client_as, signing, users, settings):
    first = pledge_scan_upload(version=signing, file=SimpleUploadedFile("ban-ky.pdf", PDF), by=users["chair"])
    url = reverse("pledges:pledge_scan_upload", args=[signing.pledge.pk, 1])
    client = client_as("chair")
    response = client.post(url, {"file": SimpleUploadedFile("ban-ky.pdf", b"PK\x03\x04 not a pdf")})
    assert response.status_code == OK
    assert response.context["form"].errors["file"]
    settings.UPLOAD_MAX_BYTES = 100
    response = client.post(url, {"file": SimpleUploadedFile("ban-ky.pdf", PDF + b"x" * 200)})
    assert "Tệp quá lớn" in response.content.decode()
    assert list(PledgeScan.objects.all()) == [first]  # the previous scan, untouched
    assert first.file.storage.exists(first.file.name)


def test_a_scan_is_served_to_readers_with_its_content_type(client_as, signing, users):
    scan = pledge_scan_upload(version=signing, file=SimpleUploadedFile("ban-ky.pdf", PDF), by=users["chair"])
    response = client_as("member").get(reverse("pledges:pledge_scan_download", args=[scan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_closing_signing_early_needs_the_tick(client_as, signing, units, users):
    head_signs(signing, unit=units["chair_unit"], by=users["chair"])
    url = reverse("pledges:pledge_finalise", args=[signing.pledge.pk])
    response = client_as("chair").post(url, CONFIRMED)
    assert response.status_code == OK and response.context["form"].errors["confirm"]
    signing.refresh_from_db()
    assert signing.is_signing


def test_final_pdf_is_issued_on_first_download_and_kept(client_as, final):
    client = client_as("member")
    url = reverse("pledges:pledge_pdf", args=[final.pledge.pk, 1])
    first = client.get(url)
    assert first.status_code == OK
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF")
    second = b"".join(client.get(url).streaming_content)
    assert second == body
    final.refresh_from_db()
    assert final.document.number_text == "01/GU-KTĐ6" and IssuedDocument.objects.count() == 1


def test_an_earlier_version_stays_readable_after_a_correction(client_as, final, users):
    from pledges.services import pledge_correction_start

    pledge_scan_upload(version=final, file=SimpleUploadedFile("ban-ky.pdf", PDF), by=users["chair"])
    pledge_correction_start(pledge=final.pledge, reason="Sửa chỉ tiêu", by=users["chair"])
    response = client_as("member").get(final.pledge.get_absolute_url() + "?v=1")
    assert response.context["version"].number == 1 and not response.context["is_current"]
    assert response.context["progress"].startswith("5/5 ")
    assert len(response.context["scans"]) == 1
    assert [v.number for v in response.context["versions"]] == [1, 2]


def test_history_is_shown_to_officers_only(client_as, drafting):
    url = drafting.pledge.get_absolute_url()
    assert client_as("officer").get(url).context["history"]
    assert "history" not in client_as("chair").get(url).context


# Home, bloc and unit pages ---------------------------------------------------------------------------


def test_home_shows_the_pledge_state_per_bloc_and_the_waiting_signature(client_as, signing, bloc, council):
    other = BlocFactory(council=council)
    response = client_as("officer").get(reverse("blocs:home"))
    badges = {b.pk: b.badges for b in response.context["blocs"]}
    assert any("0/5" in badge for badge in badges[bloc.pk])
    assert any(reverse("pledges:pledge_detail", args=[other.pk, YEAR]) in badge for badge in badges[other.pk])
    member_home = client_as("member").get(reverse("blocs:home"))
    urls = [item.url for item in member_home.context["attention"]]
    assert reverse("pledges:pledge_sign", args=[signing.pledge.pk]) in urls
    officer_attention = client_as("officer").get(reverse("blocs:home")).context["attention"]
    assert not any("pledge" in (item.url or "") for item in officer_attention)


def test_home_attention_goes_once_the_unit_signed(client_as, signing, units, users):
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    urls = [item.url for item in client_as("member").get(reverse("blocs:home")).context["attention"]]
    assert reverse("pledges:pledge_sign", args=[signing.pledge.pk]) not in urls


def test_bloc_page_links_this_and_next_years_pledge(client_as, final, bloc):
    response = client_as("member").get(reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={YEAR}")
    page = response.content.decode()
    assert reverse("pledges:pledge_detail", args=[bloc.pk, YEAR]) in page
    assert reverse("pledges:pledge_detail", args=[bloc.pk, YEAR + 1]) in page


def test_unit_page_lists_the_pledges_it_signed(client_as, final, units):
    response = client_as("chair").get(reverse("blocs:unit_detail", args=[units["member_unit"].pk]))
    assert 'id="unit-pledges"' in response.content.decode()


# Query counts ----------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == OK
    return len(ctx.captured_queries)


def _grow(bloc, n):
    for i in range(n):
        MembershipFactory(bloc=bloc, unit=UnitFactory(council=bloc.council), first_year=2018, display_order=50 + i)


@pytest.mark.parametrize("page", ["pledge_page", "home", "bloc_detail"])
def test_query_count_does_not_grow_with_signatories(client_as, bloc, units, seats, users, heads, page):
    from pledges.services import pledge_signatures_record, pledge_signing_open

    def build():
        version = make_draft(bloc, by=users["officer"])
        version = pledge_signing_open(version=version, by=users["chair"])
        pledge_signatures_record(version=version, signed_on=SIGNING_DAY, units=[units["chair_unit"]], by=users["chair"])
        return version

    urls = {
        "pledge_page": reverse("pledges:pledge_detail", args=[bloc.pk, YEAR]),
        "home": reverse("blocs:home"),
        "bloc_detail": reverse("blocs:bloc_detail", args=[bloc.pk]),
    }
    client = client_as("member")
    build()
    before = count_queries(client, urls[page])
    Pledge.objects.all().delete()
    _grow(bloc, 30)
    build()
    after = count_queries(client, urls[page])
    assert after == before
    assert after <= 20
