"""The minutes as a PDF (WeasyPrint, ``templates/meetings/minutes_pdf.html``) and which content a version
prints: a final version its frozen content, a draft the record as it is now."""

from __future__ import annotations

from documents.render import render_pdf
from documents.services import number_format

from .content import MinutesContent, meeting_facts, minutes_content
from .models import DOC_TYPE, Meeting, MinutesVersion

MINUTES_TEMPLATE = "meetings/minutes_pdf.html"


def version_content(version: MinutesVersion, meeting: Meeting) -> MinutesContent:
    """What a version prints: the content frozen at finalisation, or (a draft) the record now."""
    if version is not None and version.is_final and version.content:
        return MinutesContent.from_dict(version.content)
    return minutes_content(meeting_facts(meeting))


def version_number_text(version: MinutesVersion | None, content: MinutesContent) -> str:
    """ "01/BB-KTĐ6" once issued, "…/BB-KTĐ6" before (a draft, or a final version not yet numbered)."""
    if version is not None and version.document_id:
        return version.document.number_text
    return number_format(number=None, doc_type=DOC_TYPE, issuer_code=content.issuer_code)


def minutes_context(*, content: MinutesContent, number_text: str, draft: bool) -> dict:
    return {
        "header_lines": content.header_lines,
        "number_text": number_text,
        "place": content.place_name,
        "issue_date": content.date,
        "doc_type": content.doc_type,
        "subject": content.subject,
        "blocks": content.blocks,
        "signature_left": content.signature_left,
        "signature_right": content.signature_right,
        "draft": draft,
    }


def minutes_pdf_render(*, content: MinutesContent, number_text: str, draft: bool) -> bytes:
    return render_pdf(MINUTES_TEMPLATE, minutes_context(content=content, number_text=number_text, draft=draft))
