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
from awards.models import Proposal, Submission
from documents.models import DocumentCounter, IssuedDocument

from ..conftest import YEAR
from ..documents.format_check import DocxDocument
from ..fixtures.awards import ballot, collapse
from ..fixtures.jobs import job_file
from ..roles import CONFIRMED

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


def submit_url(bloc) -> str:
    return reverse("awards:submission_create", args=[bloc.pk, YEAR])


def submit_confirmed(client, bloc, proposals, **kwargs):
    """The submit step's two POSTs: the choice (the confirm step with the preview), then the confirmation."""
    data = {"proposals": [p.pk for p in proposals]}
    review = client.post(submit_url(bloc), data)
    assert review.status_code == 200 and review.context["confirm"], "no confirm step"
    return client.post(submit_url(bloc), {**data, "confirm": review.context["confirm"]}, **kwargs)


def nothing_issued(proposals) -> bool:
    return (
        not Submission.objects.exists()
        and not IssuedDocument.objects.exists()
        and not DocumentCounter.objects.exists()
        and all(Proposal.objects.get(pk=p.pk).status == Proposal.Status.DRAFT for p in proposals)
    )


# Decree 30/2020: each "Nơi nhận" item ends with ";", the last with "."; the chair's block is the title,
# the space to sign and the name, with no unit or head title in between.
RECIPIENTS = "Nơi nhận: - Như trên; - Các đơn vị thành viên khối; - Lưu: VT."
SIGNATURE = "TM. KHỐI THI ĐUA KHỐI TRƯỞNG Trần Thị Bích Vân"


def assert_recipients_and_signature(text: str) -> None:
    assert RECIPIENTS in text and ";." not in text and ".." not in text.replace("./.", "")
    assert text[text.index("TM. KHỐI THI ĐUA") :] == SIGNATURE  # the chair unit's name, "CHỦ TỊCH": not printed
    assert "CHỦ TỊCH" not in text


def test_submitting_issues_the_numbered_cover_letter(client_as, bloc, batch, today):
    response = submit_confirmed(client_as("chair"), bloc, batch)
    submission = Submission.objects.get()
    assert response.url == reverse("awards:submission_detail", args=[submission.pk])
    document = submission.cover_letter
    assert document.number_text == "01/TTr-KTĐ6" and document.doc_type == "TTr" and document.year == 2022
    text = pdf_text(document.file.read())
    assert_in_order(
        text,
        [
            # Decree 30: the council (the bloc's direct parent body) above the bloc, the issuing body.
            "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH AN GIANG",
            "KHỐI THI ĐUA CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
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
            RECIPIENTS,
            SIGNATURE,
        ],
    )
    assert "Số: 01/TTr-KTĐ6" in text and "An Giang, ngày 10 tháng 01 năm 2022" in text  # the header's columns
    assert_recipients_and_signature(text)
    assert text.count("01/TTr-KTĐ6") == 1
    assert "DỰ THẢO" not in text


def test_the_submit_step_previews_the_draft_and_issues_nothing_until_confirmed(client_as, bloc, batch, today):
    client = client_as("chair")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"proposals": [p.pk for p in batch]}
    review = client.post(submit_url(bloc), data)
    assert review.status_code == 200 and "awards/submission_confirm.html" in [t.name for t in review.templates]
    page = review.content.decode()
    preview_url = review.context["preview_url"]
    assert preview_url.startswith(reverse("awards:submission_preview_pdf", args=[bloc.pk, YEAR]) + "?")
    assert f'id="cover-preview-link" href="{preview_url.replace("&", "&amp;")}"' in page
    assert "gets the bloc's next number when you submit" in page and "…/TTr-KTĐ6" in page
    assert 'name="confirm"' in page
    assert nothing_issued(batch)

    preview = client.get(preview_url)
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert "DỰ THẢO" in text and "Số: …/TTr-KTĐ6" in text and "01/TTr" not in text
    assert "3 tập thể, cá nhân" in text and "Ông/Bà Lê Văn Tám, Trưởng ban, Hội Nông dân tỉnh" in text
    assert "(bổ sung)" not in text
    assert_recipients_and_signature(text)
    assert nothing_issued(batch)

    # The confirm step again (a reload), or the choice alone: still nothing.
    client.post(submit_url(bloc), data)
    assert nothing_issued(batch)

    response = client.post(submit_url(bloc), {**data, "confirm": review.context["confirm"]})
    submission = Submission.objects.get()
    assert response.url == submission.get_absolute_url()
    assert submission.cover_letter.number_text == "01/TTr-KTĐ6"
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.SUBMITTED}


@pytest.mark.parametrize("forged", ["", "not-a-token", "other-batch"])
def test_a_post_without_the_confirmation_of_this_batch_submits_nothing(client_as, bloc, batch, today, forged):
    client = client_as("chair")
    if forged == "other-batch":  # confirmed for one proposal, posted with all three
        forged = client.post(submit_url(bloc), {"proposals": [batch[0].pk]}).context["confirm"]
    response = client.post(submit_url(bloc), {"proposals": [p.pk for p in batch], "confirm": forged})
    assert response.status_code == 200 and response.context["preview_url"]  # the confirm step, shown again
    assert nothing_issued(batch)


def test_the_preview_shows_only_proposals_the_user_may_submit(client_as, bloc, batch, walk, today):
    first, *rest = batch
    walk.submit(first)
    preview = reverse("awards:submission_preview_pdf", args=[bloc.pk, YEAR])
    back = reverse("awards:submission_create", args=[bloc.pk, YEAR])
    assert client_as("chair").get(f"{preview}?proposals={first.pk}").url == back  # submitted already
    assert client_as("chair").get(preview).url == back  # none chosen
    assert client_as("member").get(f"{preview}?proposals={rest[0].pk}").status_code == 403
    text = pdf_text(client_as("chair").get(f"{preview}?proposals={rest[0].pk}&proposals={rest[1].pk}").content)
    assert "Về việc đề nghị khen thưởng năm 2021 (bổ sung)" in text and "Liên đoàn Lao động tỉnh" not in text
    assert Submission.objects.count() == 1 and not IssuedDocument.objects.exists()


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
    assert_recipients_and_signature(text)
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
    response = submit_confirmed(client, bloc, batch, follow=True)
    submission = Submission.objects.get()
    assert submission.cover_letter is None and not IssuedDocument.objects.exists()
    assert "could not be rendered" in response.content.decode()
    monkeypatch.undo()
    client_as("chair").post(reverse("awards:submission_cover_issue", args=[submission.pk]), CONFIRMED)
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
    # An annex (documents.content.ANNEX): no national header and no number; its date is a line under the title.
    assert_in_order(
        text,
        [
            "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
            "Năm 2021",
            "An Giang, ngày 10 tháng 01 năm 2022",
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
    assert "Số:" not in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


def docx_text(data: bytes) -> str:
    return collapse(DocxDocument(data).text().replace("\n", " "))


def test_the_cover_letter_in_word_says_what_its_pdf_says(client_as, bloc, batch, walk, today):
    submission = walk.submit(*batch)
    member = client_as("member")
    draft = member.get(reverse("awards:submission_cover_docx", args=[submission.pk]))
    assert draft["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'attachment; filename="TTr-du-thao-KTD6-20220110.docx"' == draft["Content-Disposition"]
    text = docx_text(draft.content)
    assert "DỰ THẢO" in text and "Số: …/TTr-KTĐ6" in text
    document = services.submission_cover_issue(submission=submission, by=None)
    issued = member.get(reverse("awards:submission_cover_docx", args=[submission.pk]))
    assert issued["Content-Disposition"] == 'attachment; filename="TTr-01-KTD6-20220110.docx"'
    text = docx_text(issued.content)
    assert "Số: 01/TTr-KTĐ6" in text and "DỰ THẢO" not in text
    pdf = pdf_text(document.file.read())
    for part in [
        "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh An Giang",
        "3 tập thể, cá nhân",
        "1. Cờ thi đua của UBND tỉnh: 1 tập thể",
        "5/5 phiếu (5 có mặt)",
        "2. Bằng khen của Chủ tịch UBND tỉnh: 1 tập thể, 1 cá nhân",
        "Ông/Bà Lê Văn Tám, Trưởng ban, Hội Nông dân tỉnh",
        "Hồ sơ kèm theo gồm",
        "xem xét, quyết định./.",
        "Như trên;",
        "Lưu: VT.",
        "TM. KHỐI THI ĐUA",
        "Trần Thị Bích Vân",
    ]:
        assert part in text and part in pdf, part


def test_the_submit_step_offers_the_draft_cover_letter_in_word(client_as, bloc, batch, today):
    client = client_as("chair")
    review = client.post(submit_url(bloc), {"proposals": [p.pk for p in batch]})
    docx_url = review.context["preview_docx_url"]
    assert docx_url == review.context["preview_url"].replace("cover.pdf", "cover.docx")
    assert f'id="cover-preview-docx" href="{docx_url.replace("&", "&amp;")}"' in review.content.decode()
    response = client.get(docx_url)
    assert response["Content-Disposition"] == 'attachment; filename="TTr-du-thao-KTD6-20220110.docx"'
    text = docx_text(response.content)
    assert "DỰ THẢO" in text and "Số: …/TTr-KTĐ6" in text and "Ông/Bà Lê Văn Tám, Trưởng ban" in text
    assert nothing_issued(batch)


def test_the_council_list_in_word_says_what_its_pdf_says(client_as, batch, walk, today):
    walk.submit(*batch)
    officer = client_as("officer")
    response, content = job_file(officer, "awards:award_list_docx", {"year": YEAR})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "DS-khen-thuong-2021-20220110.docx" in response["Content-Disposition"]
    text = docx_text(content)
    pdf_response, pdf = job_file(officer, "awards:award_list_pdf", {"year": YEAR})
    assert "DS-khen-thuong-2021-20220110.pdf" in pdf_response["Content-Disposition"]
    pdf = pdf_text(pdf)
    for part in [
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "Năm 2021",
        "An Giang, ngày 10 tháng 01 năm 2022",
        "II. Bằng khen của Chủ tịch UBND tỉnh (2)",
        "Khối thi đua Kết quả bình xét Tình trạng",
        "Lê Văn Tám, Trưởng ban, Hội Nông dân tỉnh",
        "Đã trình, chờ thẩm định",
        "Tổng số: 3 tập thể, cá nhân.",
    ]:
        assert part in text and part in pdf, part
    assert "Số:" not in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
