"""The awards' printed documents, checked by their extracted text (pypdf, NFC, white space collapsed):
the submission's cover letter (tờ trình) and the council-wide list "Danh sách đề nghị khen thưởng"."""

from datetime import date
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from awards.catalogue import CHAIRMAN_CERTIFICATE
from awards.models import Submission
from documents.models import IssuedDocument

from ..conftest import YEAR
from ..fixtures.awards import ballot, collapse
from ..fixtures.jobs import job_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]
TODAY = date(2022, 1, 10)


def pdf_text(pdf: bytes) -> str:
    return collapse(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not found after position {position} in: {text}"
        position = found + len(part)


def explained(p):
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def chair_head(units):
    unit = units["chair_unit"]
    unit.head_name, unit.head_title = "Trần Thị Bích Vân", "Chủ tịch"
    unit.save()
    return unit


@pytest.fixture
def batch(proposal, chair_head):
    flag = explained(proposal("LDLD", tally=ballot(5, 5, 5)))
    certificate = explained(proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE))
    person = explained(proposal("HND", type_code=CHAIRMAN_CERTIFICATE, person=("Lê Văn Tám", "Trưởng ban")))
    return [flag, certificate, person]


def test_submitting_issues_the_numbered_cover_letter(client_as, bloc, batch, today):
    response = client_as("chair").post(
        reverse("awards:submission_create", args=[bloc.pk, YEAR]), {"proposals": [p.pk for p in batch]}
    )
    submission = Submission.objects.get()
    assert response.url == reverse("awards:submission_detail", args=[submission.pk])
    document = submission.cover_letter
    assert document.number_text == "01/TTr-KTĐ6" and document.doc_type == "TTr" and document.year == 2022
    text = pdf_text(document.file.read())
    assert_in_order(
        text,
        [
            "UBND TỈNH AN GIANG",
            "KHỐI THI ĐUA CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI",
            "Số: 01/TTr-KTĐ6",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "An Giang, ngày 10 tháng 01 năm 2022",
            "TỜ TRÌNH",
            "Về việc đề nghị khen thưởng năm 2021",
            "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh An Giang",
            "kính đề nghị Hội đồng Thi đua – Khen thưởng tỉnh An Giang xem xét",
            "3 tập thể, cá nhân",
            "1. Cờ thi đua của UBND tỉnh: 1 tập thể",
            "Liên đoàn Lao động tỉnh",
            "5/5 phiếu (5 có mặt)",
            "2. Bằng khen của Chủ tịch UBND tỉnh: 1 tập thể, 1 cá nhân",
            "Hội Liên hiệp Phụ nữ tỉnh",
            "Thống nhất",
            "Ông/Bà Lê Văn Tám, Trưởng ban, Hội Nông dân tỉnh",
            "Hồ sơ kèm theo gồm",
            "TM. KHỐI THI ĐUA",
            "KHỐI TRƯỞNG",
            "Trần Thị Bích Vân",
        ],
    )
    assert text.count("01/TTr-KTĐ6") == 1
    assert "DỰ THẢO" not in text


def test_a_supplementary_submission_says_so_and_takes_the_next_number(client_as, bloc, batch, walk, today):
    first, *rest = batch
    walk.submit(*rest)
    services.submission_cover_issue(submission=Submission.objects.get(), by=None)
    submission = walk.submit(first)
    document = services.submission_cover_issue(submission=submission, by=None)
    assert document.number_text == "02/TTr-KTĐ6"
    text = pdf_text(document.file.read())
    assert "Về việc đề nghị khen thưởng năm 2021 (bổ sung)" in text
    assert "Liên đoàn Lao động tỉnh" in text and "Hội Liên hiệp Phụ nữ tỉnh" not in text


def test_cover_letter_preview_before_issue_is_a_draft_without_number(client_as, bloc, batch, walk, today):
    submission = walk.submit(*batch)
    response = client_as("member").get(reverse("awards:submission_cover_pdf", args=[submission.pk]))
    text = pdf_text(response.content)
    assert "Số: …/TTr-KTĐ6" in text and "DỰ THẢO" in text
    assert not IssuedDocument.objects.exists()


def test_once_issued_the_cover_letter_link_serves_the_issued_pdf(client_as, bloc, batch, walk, today):
    submission = walk.submit(*batch)
    document = services.submission_cover_issue(submission=submission, by=None)
    response = client_as("member").get(reverse("awards:submission_cover_pdf", args=[submission.pk]))
    assert response.url == reverse("blocs:issued_document_download", args=[document.pk])
    assert services.submission_cover_issue(submission=submission, by=None) == document  # issued once


def test_a_rendering_failure_keeps_the_submission_and_takes_no_number(client_as, bloc, batch, monkeypatch, today):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("documents.render.render_pdf", broken)
    client = client_as("chair")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("awards:submission_create", args=[bloc.pk, YEAR]),
        {"proposals": [p.pk for p in batch]},
        follow=True,
    )
    submission = Submission.objects.get()
    assert submission.cover_letter is None and not IssuedDocument.objects.exists()
    assert "could not be rendered" in response.content.decode()
    monkeypatch.undo()
    client_as("chair").post(reverse("awards:submission_cover_issue", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.cover_letter.number_text == "01/TTr-KTĐ6"


def test_the_council_list_is_grouped_by_award_type(client_as, batch, walk, today):
    flag, certificate, person = batch
    walk.submit(*batch)
    walk.approve(flag)
    walk.decide(flag, number="412/QĐ-UBND", on=date(2022, 3, 15))
    response, content = job_file(client_as("officer"), "awards:award_list_pdf", {"year": YEAR})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(content)
    assert_in_order(
        text,
        [
            "UBND TỈNH AN GIANG",
            "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
            "An Giang, ngày 10 tháng 01 năm 2022",
            "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
            "Năm 2021",
            "I. Cờ thi đua của UBND tỉnh (1)",
            "Liên đoàn Lao động tỉnh",
            "QĐ số 412/QĐ-UBND ngày 15/03/2022",
            "II. Bằng khen của Chủ tịch UBND tỉnh (2)",
            "Hội Liên hiệp Phụ nữ tỉnh",
            "Đã trình, chờ thẩm định",
            "Lê Văn Tám, Trưởng ban, Hội Nông dân tỉnh",
            "Tổng số: 3 tập thể, cá nhân.",
        ],
    )
    assert "Số:" not in text
