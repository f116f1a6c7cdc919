"""The minutes as PDF and Word (``documents.render.content_pdf``, ``documents.docx.content_docx``) and
which content a version prints: a final version its frozen content, a draft the record as it is now."""

from __future__ import annotations

from documents.content import DocumentContent
from documents.docx import content_docx
from documents.render import content_pdf
from documents.services import number_format

from .content import meeting_facts, minutes_content, minutes_content_load
from .models import DOC_TYPE, Meeting, MinutesVersion


def version_content(version: MinutesVersion, meeting: Meeting) -> DocumentContent:
    """What a version prints: the content frozen at finalisation, or (a draft) the record now."""
    if version is not None and version.is_final and version.content:
        return minutes_content_load(version.content)
    return minutes_content(meeting_facts(meeting))


def version_number_text(version: MinutesVersion | None, content: DocumentContent) -> str:
    """ "01/BB-KTĐ6" once issued, "…/BB-KTĐ6" before (a draft, or a final version not yet numbered)."""
    if version is not None and version.document_id:
        return version.document.number_text
    return number_format(number=None, doc_type=DOC_TYPE, issuer_code=content.issuer_code)


def minutes_pdf_render(*, content: DocumentContent, number_text: str, draft: bool) -> bytes:
    return content_pdf(content, number_text=number_text, draft=draft)


def minutes_docx(*, content: DocumentContent, number_text: str, draft: bool) -> bytes:
    return content_docx(content, number_text=number_text, draft=draft)
