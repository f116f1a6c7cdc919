"""The pledge as a Word file: the same readers as its PDF, the same number, the same words, and file names
of the one scheme (``documents.render.document_file_name``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import IssuedDocument
from pledges.printing import pledge_content, pledge_docx, pledge_pdf_render

from ..conftest import YEAR
from ..documents import format_check as check
from ..fixtures.pledges import HEADS, head_signs, make_draft
from ..roles import OK

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(data: bytes) -> str:
    return check.collapse(check.DocxDocument(data).text().replace("\n", " "))


def pdf_text(data: bytes) -> str:
    return check.collapse(" ".join(run.text for run in check.PdfDocument(data).runs))


def _filename(response) -> str:
    return response["Content-Disposition"].split("filename=", 1)[1].strip('"')


def test_a_drafts_word_file_is_a_download_with_the_draft_number_and_mark(client_as, drafting):
    response = client_as("member").get(reverse("pledges:pledge_docx", args=[drafting.pledge.pk, 1]))
    assert response.status_code == OK and response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert _filename(response) == "GU-du-thao-KTD6-20201229.docx"
    text = docx_text(response.content)
    assert "Số: …/GU-KTĐ6" in text and "DỰ THẢO" in text
    assert "An Giang, ngày 29 tháng 12 năm 2020" in text
    pdf = client_as("member").get(reverse("pledges:pledge_pdf", args=[drafting.pledge.pk, 1]))
    assert _filename(pdf) == "GU-du-thao-KTD6-20201229.pdf"


def test_a_final_versions_word_file_carries_the_number_of_its_pdf(client_as, final):
    client = client_as("member")
    response = client.get(reverse("pledges:pledge_docx", args=[final.pledge.pk, 1]))
    assert response.status_code == OK
    final.refresh_from_db()
    # Asked first for the Word file, the final version is issued as its PDF would be: one number, the same.
    assert final.document.number_text == "01/GU-KTĐ6" and IssuedDocument.objects.count() == 1
    text = docx_text(response.content)
    assert "Số: 01/GU-KTĐ6" in text and "…/GU" not in text and "DỰ THẢO" not in text
    assert _filename(response) == "GU-01-KTD6-20201229.docx"
    pdf = client.get(reverse("pledges:pledge_pdf", args=[final.pledge.pk, 1]))
    assert _filename(pdf) == "GU-01-KTD6-20201229.pdf"
    assert "Số: 01/GU-KTĐ6" in pdf_text(b"".join(pdf.streaming_content))
    assert IssuedDocument.objects.count() == 1


def test_the_word_file_of_a_version_whose_pdf_cannot_be_made_is_refused_with_the_reason(client_as, final, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("pledges.printing.content_pdf", broken)
    response = client_as("member").get(reverse("pledges:pledge_docx", args=[final.pledge.pk, 1]))
    # Without its number the Word copy would say something the PDF does not: back to the page, with why.
    assert response.status_code == 302 and response.url.endswith("?v=1")
    assert not IssuedDocument.objects.exists()


def test_pdf_and_word_say_the_same(signing, units, users):
    head_signs(
        signing,
        unit=units["member_unit"],
        by=users["member"],
        signatory_name="Phạm Thị Hoa",
        signatory_title="Phó Chủ tịch",
    )
    signing.text_attached = True
    signing.save()
    content = pledge_content(version=signing)
    pdf, docx = pdf_text(pledge_pdf_render(version=signing)), docx_text(pledge_docx(version=signing))
    texts = [block.text for block in content.blocks]
    texts += [content.doc_type, content.subject, content.signatures_heading, "Số: …/GU-KTĐ6"]
    texts += ["An Giang, ngày 29 tháng 12 năm 2020", "Nội dung giao ước kèm theo."]
    for signature in content.signature_grid:
        texts += [*signature.roles, *(detail.upper() for detail in signature.details), signature.name]
    assert "Giao ước này được ký kết tại Hội trường Ủy ban MTTQ tỉnh, ngày 29 tháng 12 năm 2020" in " ".join(texts)
    assert "PHÓ CHỦ TỊCH" in texts and "Phạm Thị Hoa" in texts
    for text in filter(None, texts):
        assert check.collapse(text) in docx, text
        # The PDF breaks lines anywhere: compare its words, not its lines.
        assert all(word in pdf for word in text.split()), text
    assert "DỰ THẢO" not in docx and "DỰ THẢO" not in pdf  # the copy to sign, as printed


def test_the_word_file_of_a_draft_without_a_date_leaves_the_date_blank(bloc, units, seats, users, heads):
    version = make_draft(bloc, year=YEAR + 1, by=users["officer"], signing_date=None)
    text = docx_text(pledge_docx(version=version))
    assert "An Giang, ngày tháng năm" in text
    for _title, name in HEADS.values():
        assert name in text  # every head's typed name, before anyone signs
