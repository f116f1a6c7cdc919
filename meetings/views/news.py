"""The news draft as files: the same draft as the news page (``meetings.news.news_content``), as PDF and as
Word, for whoever may draft the news (``access.can_manage_bloc_year``, like the page)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocs.web import DOCX_CONTENT_TYPE, file_response, pdf_response
from documents.content import DocumentContent
from documents.docx import content_docx
from documents.render import content_pdf, document_file_name

from ..content import meeting_facts
from ..models import Meeting
from ..news import news_content
from ._common import _meeting_for_managing


def _news_file_name(meeting: Meeting, content: DocumentContent, ext: str) -> str:
    """The documents' one scheme, without a number: ``TIN-du-thao-KTD6-20211228.pdf``."""
    return document_file_name(
        type_code=content.type_code, number_text="", issuer_code=content.issuer_code, on=meeting.date, ext=ext
    )


@require_safe
def news_pdf(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    content = news_content(meeting_facts(meeting))
    try:
        pdf = content_pdf(content)
    except Exception as error:  # nothing is stored; say what failed
        messages.error(request, _("The PDF could not be made: %(error)s") % {"error": error})
        return redirect("meetings:meeting_news", pk=meeting.pk)
    return pdf_response(pdf, filename=_news_file_name(meeting, content, "pdf"))


@require_safe
def news_docx(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    content = news_content(meeting_facts(meeting))
    try:
        data = content_docx(content)
    except Exception as error:  # nothing is stored; say what failed
        messages.error(request, _("The Word document could not be made: %(error)s") % {"error": error})
        return redirect("meetings:meeting_news", pk=meeting.pk)
    return file_response(
        data, content_type=DOCX_CONTENT_TYPE, filename=_news_file_name(meeting, content, "docx"), attachment=True
    )
