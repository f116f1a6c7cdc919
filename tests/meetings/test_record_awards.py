"""The award record states only what happened (unknown is a valid answer): an award decided outside the portal
keeps an unknown decision number or date unknown — stored empty, shown as "chưa rõ số quyết định", never
a made-up number — an award has its reason (a ranking), and a unit's award history lists the year's
proposals with their state, to those who read the bloc-year, at a fixed number of queries."""

import io
import re
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from awards import excel, services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Decision, Proposal

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..fixtures.awards import collapse
from ..fixtures.jobs import job_file

# A submission here meets only the awards app's own dossier checks.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("awards_checks_only")]

UNKNOWN_NUMBER = "chưa rõ số quyết định"
RANKING = "Xếp hạng Nhất trong Khối năm 2020\nDẫn đầu phong trào thi đua"


def page(client, name, *args, **params) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return collapse(response.content.decode())


def pdf_text(pdf: bytes) -> str:
    return collapse(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def explained(p: Proposal) -> Proposal:
    """The unregistered-title warning answered, so that the proposal may be submitted."""
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


def made_up_number(text: str) -> bool:
    """Something printed like a decision's number ("12/QĐ-…", "…/QĐ")."""
    return re.search(r"/QĐ", text) is not None


# --- Unknown number and date: the form --------------------------------------------------------------


def test_an_officer_enters_an_outside_award_with_unknown_number_and_date(client_as, units, awards):
    client = client_as("officer")
    response = client.post(
        reverse("awards:external_create"),
        {
            "award_type": awards[PROVINCIAL_FLAG].pk,
            "year": "2020",
            "recipient": "unit",
            "unit": units["vice_unit"].pk,
            "decision_number": "",
            "decision_date": "",
            "award_reason": RANKING,
        },
    )
    award = Proposal.objects.get(source=Proposal.Source.EXTERNAL)
    assert response.status_code == 302 and response.url == award.get_absolute_url()
    assert (award.status, award.decision.number, award.decision.date) == ("decided", "", None)
    assert award.decision.external and award.award_reason == RANKING  # the reason keeps its line break

    detail = page(client, "awards:proposal_detail", award.pk)
    assert UNKNOWN_NUMBER in detail and "chưa rõ ngày" in detail
    assert "Xếp hạng Nhất trong Khối năm 2020<br>Dẫn đầu phong trào thi đua" in detail
    unit_page = page(client, "blocs:unit_detail", units["vice_unit"].pk)
    assert "Quyết định (chưa rõ số quyết định và ngày)" in unit_page
    assert "Xếp hạng Nhất trong Khối năm 2020" in unit_page
    decisions = page(client, "awards:decision_list")
    assert UNKNOWN_NUMBER in decisions
    listed = page(client, "awards:award_list", year=2020)
    assert UNKNOWN_NUMBER in listed and "Xếp hạng Nhất trong Khối năm 2020" in listed
    assert not made_up_number(listed)


def test_awards_of_unknown_number_never_share_a_decision(council, units, awards):
    first = services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2020,
        unit=units["vice_unit"],
        by=None,
        decision_date=date(2021, 1, 5),
    )
    second = services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2020,
        unit=units["farmers"],
        by=None,
        decision_date=date(2021, 1, 5),
    )
    known = services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2020,
        unit=units["veterans"],
        by=None,
        decision_number="9/QĐ-UBND",
    )
    joined = services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2020,
        unit=units["member_unit"],
        by=None,
        decision_number="9/QĐ-UBND",
    )
    assert first.decision_id != second.decision_id  # nothing says they are one decision
    assert known.decision_id == joined.decision_id  # the same number of the same unknown day
    assert known.decision.reference_text == "Quyết định số 9/QĐ-UBND (chưa rõ ngày)"
    assert first.decision.reference_text == "Quyết định ngày 05/01/2021 (chưa rõ số quyết định)"


def test_a_decision_of_the_portal_still_needs_its_number_and_date(walk, proposal):
    decided = explained(proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE))
    walk.submit(decided)
    walk.approve(decided)
    with pytest.raises(ValidationError) as error:
        walk.decide(decided, number="")
    assert "number" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Decision.objects.create(council=decided.council, number="", date=date(2022, 1, 1))


# --- Unknown number and date: the Excel import, the list and its PDF ---------------------------------


def _sheet(*rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([c.title for c in excel.COLUMNS])
    for values in rows:
        sheet.append([values.get(c.key) for c in excel.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("khen-thuong.xlsx", buffer.getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


def test_the_excel_import_keeps_an_unknown_number_unknown_on_the_list_and_its_pdf(client_as, council, units):
    plan = excel.external_import_parse(
        council=council,
        file=_sheet(
            {"year": 2020, "award_type": "Cờ thi đua của UBND tỉnh", "unit_code": "LDLD", "award_reason": RANKING},
            {
                "year": 2020,
                "award_type": "Cờ thi đua của UBND tỉnh",
                "unit_code": "HND",
                "decision_number": "5/QĐ-UBND",
            },
        ),
    )
    assert plan.is_valid, [issue.text for issue in plan.issues]
    assert excel.external_import_apply(plan=plan, by=None) == 2
    unknown = Proposal.objects.get(unit=units["vice_unit"])
    assert (unknown.decision.number, unknown.decision.date, unknown.award_reason) == ("", None, RANKING)
    assert Proposal.objects.get(unit=units["farmers"]).decision.date is None

    client = client_as("officer")
    listed = page(client, "awards:award_list", year=2020)
    assert f"{UNKNOWN_NUMBER}, chưa rõ ngày" in listed and "5/QĐ-UBND, chưa rõ ngày" in listed
    _response, content = job_file(client, "awards:award_list_pdf", {"year": 2020})
    text = pdf_text(content)
    assert "Quyết định chưa rõ số quyết định chưa rõ ngày" in text
    assert "QĐ số 5/QĐ-UBND chưa rõ ngày" in text
    assert "Xếp hạng Nhất trong Khối năm 2020" in text
    assert text.count("/QĐ") == 1  # only the one number that was entered
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("awards:award_list_xlsx"), {"year": 2020}).content))
    cells = [str(cell.value) for row in workbook.active.iter_rows() for cell in row if cell.value is not None]
    assert "Chưa rõ số quyết định" in cells or UNKNOWN_NUMBER in cells


# --- The reason of a proposal ------------------------------------------------------------------------


def test_the_chair_writes_the_reason_of_a_proposal_and_the_council_list_shows_it(client_as, bloc, units, awards):
    client = client_as("chair")
    response = client.post(
        reverse("awards:proposal_create", args=[bloc.pk, YEAR]),
        {
            "award_type": awards[PROVINCIAL_FLAG].pk,
            "recipient": "unit",
            "unit": units["vice_unit"].pk,
            "summary": "Hoàn thành xuất sắc nhiệm vụ.",
            "award_reason": RANKING,
            "acclamation": "on",
        },
    )
    created = Proposal.objects.get(unit=units["vice_unit"])
    assert response.status_code == 302 and created.award_reason == RANKING
    listed = page(client_as("officer"), "awards:award_list", year=YEAR, status="draft")
    assert "Xếp hạng Nhất trong Khối năm 2020<br>Dẫn đầu phong trào thi đua" in listed


# --- The unit's award history: the year's proposals with their state ----------------------------------


@pytest.fixture
def conference(proposal):
    """Right after the year-end conference: the bloc voted two proposals (drafts) and nothing is decided."""
    flag = proposal("LDLD")
    certificate = proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE)
    Proposal.objects.filter(pk=flag.pk).update(award_reason="Xếp hạng Nhất trong Khối")
    Proposal.objects.filter(pk=certificate.pk).update(summary="Dẫn đầu phong trào thi đua")
    return [flag, certificate]


@pytest.fixture
def neighbour(council, units):
    """A member of another bloc that the proposed unit also belongs to: it sees the unit, not this bloc."""
    other = BlocFactory(council=council, name="Khối thi đua các cơ quan Đảng", code="KTĐ1")
    MembershipFactory(bloc=other, unit=units["vice_unit"], first_year=2018, display_order=1)
    stranger = UnitFactory(council=council, code="BTG", name="Ban Tuyên giáo Tỉnh ủy")
    MembershipFactory(bloc=other, unit=stranger, first_year=2018, display_order=2)
    return UserFactory(username="neighbour", council=council, unit=stranger)


def _history_states(html: str) -> list[str]:
    """The state of each history row (the bloc's name under it left out)."""
    cells = re.findall(r'<td class="award-state">(.*?)</td>', html, flags=re.S)
    return [collapse(re.sub(r"<div.*", "", cell, flags=re.S)) for cell in cells]


@pytest.mark.parametrize("role", ["officer", "vice_chair", "member"])
def test_right_after_the_conference_the_proposed_unit_shows_its_proposals(client_as, units, conference, role):
    # vice_chair is a user of the proposed unit (LĐLĐ); member is another member unit of the bloc that year.
    html = client_as(role).get(reverse("blocs:unit_detail", args=[units["vice_unit"].pk])).content.decode()
    assert "Chưa có khen thưởng nào được ghi nhận." not in html
    states = _history_states(html)
    assert len(states) == 2 and all(state.startswith("Đề nghị") for state in states), states
    text = collapse(html)
    assert "Xếp hạng Nhất trong Khối" in text and "Dẫn đầu phong trào thi đua" in text
    assert reverse("awards:proposal_detail", args=[conference[0].pk]) in html


def test_a_member_of_another_bloc_sees_the_decided_awards_but_not_the_proposals(
    client, units, conference, neighbour, council, awards
):
    services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2019,
        unit=units["vice_unit"],
        by=None,
        decision_number="3/QĐ-UBND",
        decision_date=date(2020, 2, 1),
    )
    client.force_login(neighbour)
    html = client.get(reverse("blocs:unit_detail", args=[units["vice_unit"].pk])).content.decode()
    assert _history_states(html) == ["Đã quyết định"]
    assert "Xếp hạng Nhất trong Khối" not in html
    assert reverse("awards:proposal_detail", args=[conference[0].pk]) not in html


def test_the_history_shows_every_state_and_the_person_page_too(client_as, units, proposal, walk, awards):
    submitted = explained(proposal("LHPN"))
    returned = explained(proposal("HND"))
    approved = explained(proposal("CCB"))
    person_draft = proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE, person="Trần Thị Bình")
    walk.submit(submitted, returned, approved)
    services.proposal_return(proposal=returned, reason="Bổ sung hồ sơ.", by=walk.officer)
    walk.approve(approved)
    officer = client_as("officer")
    states = {
        key: _history_states(officer.get(reverse("blocs:unit_detail", args=[units[key].pk])).content.decode())
        for key in ("member_unit", "farmers", "veterans")
    }
    assert sorted(states["member_unit"]) == ["Đã trình", "Đề nghị"]
    assert states["farmers"] == ["Bị trả lại"] and states["veterans"] == ["Đã duyệt"]
    person_page = officer.get(reverse("awards:person_detail", args=[person_draft.person.pk])).content.decode()
    assert _history_states(person_page) == ["Đề nghị"]


def test_the_history_costs_the_same_queries_whatever_the_number_of_proposals(client_as, units, proposal, walk):
    client = client_as("member")
    target = reverse("blocs:unit_detail", args=[units["vice_unit"].pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    proposal("LDLD")
    few = count()
    walk.to_decided(explained(proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE)))
    for year in (2019, 2020):
        proposal("LDLD", year=year)
        proposal("LDLD", year=year, type_code=BLOC_EXEMPLARY_COLLECTIVE, collective_name="Ban Tổ chức")
        proposal("LDLD", year=year, type_code=CHAIRMAN_CERTIFICATE, person=f"Nguyễn Văn {year}")
    many = count()
    assert len(_history_states(client.get(target).content.decode())) == 8
    assert many == few


def test_an_unknown_number_is_filled_in_later_by_a_correction_with_its_reason(client_as, council, units, awards):
    award = services.award_enter_external(
        council=council, award_type=awards[PROVINCIAL_FLAG], year=2020, unit=units["vice_unit"], by=None
    )
    client = client_as("officer")
    response = client.post(
        reverse("awards:decision_correct", args=[award.decision_id]),
        {"number": "77/QĐ-UBND", "date": "", "signer": "", "reason": "Tìm thấy bản quyết định."},
    )
    assert response.status_code == 302
    award.decision.refresh_from_db()
    assert (award.decision.number, award.decision.date) == ("77/QĐ-UBND", None)
    assert award.decision.corrections.get().changes == [["number", "", "77/QĐ-UBND"]]
    assert "Quyết định số 77/QĐ-UBND (chưa rõ ngày)" in page(client, "blocs:unit_detail", units["vice_unit"].pk)
