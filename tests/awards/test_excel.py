"""Excel for awards: the council-wide list's export, and the import of awards decided outside the portal
(preview, a message per bad cell, all or nothing)."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import excel, services
from awards.catalogue import BLOC_EXEMPLARY_INDIVIDUAL, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Decision, Person, Proposal

from ..conftest import YEAR
from ..fixtures.awards import ballot

# Messages in English (the msgids), and the awards app's own dossier checks only: these are tests of the
# sheet, not of the year-end conference a real submission also needs (tests/fixtures/awards.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]
HEADERS = [c.title for c in excel.COLUMNS]


def explained(p):
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def row(**values) -> list:
    return [values.get(c.key) for c in excel.COLUMNS]


def xlsx(rows: list[list], headers=HEADERS) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for line in rows:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("khen-thuong.xlsx", buffer.getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


# --- Export -------------------------------------------------------------------------------------------


@pytest.fixture
def listed(proposal, walk):
    flag = explained(proposal("LDLD", tally=ballot(5, 5, 5)))
    certificate = explained(proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE, person=("Trần Thị Bình", "Phó Chủ tịch")))
    draft = proposal("HND")
    walk.submit(flag, certificate)
    walk.approve(flag)
    walk.decide(flag, number="412/QĐ-UBND", on=date(2022, 3, 15))
    return flag, certificate, draft


def test_export_lists_the_years_proposals_in_catalogue_order(client_as, listed):
    response = client_as("officer").get(reverse("awards:award_list_xlsx"), {"year": YEAR})
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert 'filename="khen-thuong-an-giang-2021.xlsx"' in response["Content-Disposition"]
    sheet = workbook(response.content).active
    assert sheet.title == "Khen thưởng 2021"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == excel.LIST_HEADERS
    assert [r[2] for r in rows[1:]] == ["Cờ thi đua của UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh"]  # no draft
    flag, certificate = rows[1], rows[2]
    assert flag[:10] == [
        1,
        2021,
        "Cờ thi đua của UBND tỉnh",
        "Tập thể",
        "Liên đoàn Lao động tỉnh",
        None,
        "Liên đoàn Lao động tỉnh",
        "Khối thi đua các tổ chức chính trị - xã hội",
        "5/5 phiếu (5 có mặt)",
        "Đã khen thưởng",
    ]
    assert flag[10:13] == ["412/QĐ-UBND", datetime(2022, 3, 15), "Nguyễn Văn Bình, Chủ tịch UBND tỉnh"]
    assert certificate[3:7] == ["Cá nhân", "Trần Thị Bình", "Phó Chủ tịch", "Hội Liên hiệp Phụ nữ tỉnh"]
    assert certificate[8:10] == ["Thống nhất", "Đã trình, chờ thẩm định"]


def test_export_follows_the_chosen_statuses(client_as, listed):
    response = client_as("officer").get(reverse("awards:award_list_xlsx"), {"year": YEAR, "status": "draft"})
    rows = list(workbook(response.content).active.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[4]) for r in rows] == [("Cờ thi đua của UBND tỉnh", "Hội Nông dân tỉnh")]


def test_export_of_another_year_is_empty_but_well_formed(client_as, listed):
    response = client_as("officer").get(reverse("awards:award_list_xlsx"), {"year": 2019})
    rows = list(workbook(response.content).active.iter_rows(values_only=True))
    assert rows == [tuple(excel.LIST_HEADERS)]


# --- Import --------------------------------------------------------------------------------------------


def good_rows():
    return [
        row(
            year=2019,
            award_type="Cờ thi đua của UBND tỉnh",
            unit_code="LDLD",
            decision_number="1520/QĐ-UBND",
            decision_date=datetime(2020, 3, 20),
            signer="Chủ tịch UBND tỉnh",
        ),
        row(
            year=2019,
            award_type="bang khen cua chu tich ubnd tinh",
            unit_code="LHPN",
            person_name="Trần Thị Bình",
            person_position="Phó Chủ tịch",
            decision_number="1520/QĐ-UBND",
            decision_date="20/03/2020",
        ),
        row(
            year=2019,
            award_type=BLOC_EXEMPLARY_INDIVIDUAL,
            unit_code="HND",
            person_name="Lê Văn Tám",
            bloc_code="KTĐ6",
            conference_date="27/12/2019",
        ),
        row(
            year=2018,
            award_type="Bằng khen của Chủ tịch UBND tỉnh",
            unit_code="CCB",
            collective_name="Văn phòng",
            decision_number="88/QĐ-UBND",
            decision_date="2019-02-01",
            summary="Hoàn thành xuất sắc nhiệm vụ.",
        ),
    ]


def test_import_previews_then_saves_every_row(client_as, bloc, units):
    client = client_as("officer")
    response = client.post(reverse("awards:external_import"), {"file": xlsx(good_rows())})
    plan = response.context["plan"]
    assert plan.is_valid, [i.text for i in plan.issues]
    assert not Proposal.objects.exists()  # the preview writes nothing
    token = response.context["token"]
    response = client.post(reverse("awards:external_import"), {"token": token})
    assert response.status_code == 302
    saved = Proposal.objects.filter(source="external").select_related("decision", "person")
    assert saved.count() == 4 and all(p.status == Proposal.Status.DECIDED for p in saved)
    assert Decision.objects.get(number="1520/QĐ-UBND").proposals.count() == 2  # one decision, two awards
    own = saved.get(person__name="Lê Văn Tám")
    assert (own.bloc, own.conference_date, own.decision) == (bloc, date(2019, 12, 27), None)
    assert saved.get(collective_name="Văn phòng").summary == "Hoàn thành xuất sắc nhiệm vụ."
    assert Person.objects.get(name="Trần Thị Bình").position == "Phó Chủ tịch"
    # A confirmation cannot be replayed.
    client.post(reverse("awards:external_import"), {"token": token})
    assert Proposal.objects.count() == 4


def test_import_lists_every_bad_cell_and_saves_nothing(council, bloc, units):
    rows = [
        *good_rows(),
        row(
            year=2019,
            award_type="Huân chương Lao động",
            unit_code="LDLD",
            decision_number="1/QĐ",
            decision_date="01/01/2020",
        ),
        row(
            year=2019,
            award_type="Cờ thi đua của UBND tỉnh",
            unit_code="KHONGCO",
            decision_number="1/QĐ",
            decision_date="01/01/2020",
        ),
        row(year=2019, award_type="Cờ thi đua của UBND tỉnh", unit_code="MTTQ", decision_date="32/13/2020"),
        row(
            year=3000,
            award_type="Cờ thi đua của UBND tỉnh",
            unit_code="MTTQ",
            person_name="Nguyễn Văn An",
            decision_number="1/QĐ",
            decision_date="01/01/2020",
        ),
        row(year=2019, award_type=BLOC_EXEMPLARY_INDIVIDUAL, unit_code="HND", person_name="Ngô Thị Hà"),
        row(
            year=2019,
            award_type="Cờ thi đua của UBND tỉnh",
            unit_code="LDLD",
            decision_number="2/QĐ",
            decision_date="01/01/2020",
        ),
        row(
            award_type="Giấy khen",
            unit_code="LDLD",
            bloc_code="KTĐ99",
            decision_number="3/QĐ",
            decision_date="01/01/2020",
        ),
    ]
    plan = excel.external_import_parse(council=council, file=xlsx(rows))
    found = {(i.row, i.column): i.message for i in plan.issues}
    assert found[(6, "award_type")].startswith("unknown award type “Huân chương Lao động”")
    assert found[(7, "unit_code")] == "no unit of this council has the code “KHONGCO”"
    assert (8, "decision_number") not in found  # an unknown number is a valid answer, stored as unknown
    assert found[(8, "decision_date")] == "must be a date, e.g. 15/03/2021"
    assert found[(9, "year")] == "must be a year from 1945 to 2100"
    assert found[(10, "bloc_code")] == "is required for an award of the bloc itself"
    assert found[(10, "conference_date")] == "is required for an award of the bloc itself"
    assert found[(11, "award_type")] == "the same award for the same recipient and year is on row 2"
    assert found[(12, "year")] == "is required"
    assert found[(12, "bloc_code")] == "there is no bloc with the code “KTĐ99” in this council"
    assert "collectives, not to a person" in found[(9, "person_name")]
    assert not plan.is_valid
    assert plan.issues[0].text.startswith("Row 6, column Hình thức khen thưởng:")


def test_import_page_shows_the_problems_and_keeps_nothing(client_as, council):
    rows = [*good_rows(), row(year=2019, award_type="Cờ thi đua của UBND tỉnh", unit_code="KHONGCO")]
    client = client_as("officer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("awards:external_import"), {"file": xlsx(rows)})
    page = response.content.decode()
    assert "nothing was saved" in page and "KHONGCO" in page
    assert "awards.external_import" not in client_as("officer").session
    assert not Proposal.objects.exists()


def _flag_2019_recorded(council, units, awards):
    """The vice-chair unit's 2019 provincial flag, entered by hand: the first good row's award."""
    return services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2019,
        unit=units["vice_unit"],
        decision_number="5/QĐ-UBND",
        decision_date=date(2020, 1, 1),
        by=None,
    )


def test_import_refuses_an_award_already_recorded(council, units, awards):
    _flag_2019_recorded(council, units, awards)
    plan = excel.external_import_parse(council=council, file=xlsx(good_rows()[:1]))
    assert [i.message for i in plan.issues] == [
        "Liên đoàn Lao động tỉnh already has a record of Cờ thi đua của UBND tỉnh for 2019"
    ]


def test_import_writes_all_or_nothing(council, bloc, units, monkeypatch, users):
    plan = excel.external_import_parse(council=council, file=xlsx(good_rows()))
    original = services.award_enter_external
    calls = []

    def failing_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError("the database said no")
        return original(**kwargs)

    monkeypatch.setattr(services, "award_enter_external", failing_third)
    with pytest.raises(excel.ImportWriteError) as error:
        excel.external_import_apply(plan=plan, by=users["officer"])
    assert error.value.issue.row == 4
    assert not Proposal.objects.exists() and not Decision.objects.exists() and not Person.objects.exists()


def test_import_checks_the_kept_rows_again_at_confirmation(client_as, council, units, awards):
    client = client_as("officer")
    response = client.post(reverse("awards:external_import"), {"file": xlsx(good_rows()[:1])})
    _flag_2019_recorded(council, units, awards)
    client.post(reverse("awards:external_import"), {"token": response.context["token"]})
    assert Proposal.objects.count() == 1  # only the one entered meanwhile


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook at all", "This is not an Excel .xlsx file"),
        (b"\xd0\xcf\x11\xe0old excel", "Excel 97–2003"),
        (b"PK\x03\x04broken zip", "could not be read as an Excel workbook"),
    ],
)
def test_import_explains_files_that_are_not_workbooks(council, content, message):
    plan = excel.external_import_parse(council=council, file=SimpleUploadedFile("a.xlsx", content))
    assert message in plan.issues[0].text


def test_import_needs_the_required_columns(council):
    plan = excel.external_import_parse(council=council, file=xlsx([["x"]], headers=["Hình thức khen thưởng", "Tên"]))
    assert "Năm, Mã đơn vị" in plan.issues[0].text


def test_import_template_has_the_columns_and_a_guide(client_as, council):
    response = client_as("officer").get(reverse("awards:external_import_template"))
    book = workbook(response.content)
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    guide = [r[1] for r in book.worksheets[1].iter_rows(values_only=True)]
    assert "Cờ thi đua của UBND tỉnh" in guide and "Khối thi đua các tổ chức chính trị - xã hội" in guide
