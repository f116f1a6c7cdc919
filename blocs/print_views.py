"""Printed documents of a bloc: the membership list (preview and issue) and downloads of issued documents.

Every document follows the same pattern: one function builds its content (``blocs.printing``,
a ``documents.content.DocumentContent``), the preview renders it as PDF or Word with the draft number
"…/DS-KTĐ6", the issue view hands a ``DocumentSpec`` with a render callable to the service that issues
the holder's document once (``documents.services.document_issue_once``).
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from documents.docx import content_docx
from documents.models import IssuedDocument
from documents.render import content_pdf, document_file_name
from documents.services import (
    DocumentRenderError,
    DocumentSpec,
    issuer_key,
    issuer_parse,
    number_format,
    number_text_peek,
)

from . import registry, services
from .access import bloc_for_managing, bloc_for_viewing, can_read_bloc_year, is_officer_of
from .printing import (
    MEMBERSHIP_LIST_TYPE,
    membership_list_content,
    membership_list_snapshot,
    membership_list_subject_key,
)
from .web import (
    DOCX_CONTENT_TYPE,
    Confirmation,
    bloc_year_or_404,
    confirm_page,
    confirmed,
    file_response,
    pdf_response,
    stored_file_response,
)


def _membership_list_preview(request, pk: int, year: int):
    """The bloc-year's list as it would be issued today, with the draft number "…/DS-KTĐ6", for those who
    may read that year (like the issued copies)."""
    bloc = bloc_for_viewing(request.user, pk)
    bloc_year_or_404(bloc, year)
    if not can_read_bloc_year(request.user, bloc, year):
        raise PermissionDenied
    content = membership_list_content(bloc=bloc, year=year, today=timezone.localdate())
    number_text = number_format(number=None, doc_type=MEMBERSHIP_LIST_TYPE, issuer_code=bloc.code)
    return content, number_text


def _preview_name(content, number_text: str, ext: str) -> str:
    return document_file_name(
        type_code=content.type_code, number_text=number_text, issuer_code=content.issuer_code, on=content.date, ext=ext
    )


@require_safe
@transaction.non_atomic_requests  # a render can take a second: no transaction held open meanwhile
def membership_list_pdf(request, pk: int, year: int):
    """Preview of the membership list as PDF."""
    content, number_text = _membership_list_preview(request, pk, year)
    pdf = content_pdf(content, number_text=number_text)
    return pdf_response(pdf, filename=_preview_name(content, number_text, "pdf"))


@require_safe
@transaction.non_atomic_requests
def membership_list_docx(request, pk: int, year: int):
    """The membership list as an editable Word file, the same content as the PDF."""
    content, number_text = _membership_list_preview(request, pk, year)
    data = content_docx(content, number_text=number_text)
    return file_response(
        data, content_type=DOCX_CONTENT_TYPE, filename=_preview_name(content, number_text, "docx"), attachment=True
    )


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests  # render outside any transaction; the service takes the number atomically
def membership_list_issue(request, pk: int, year: int):
    """Issue the membership list of a bloc-year with the next number of the bloc's DS register, once per
    distinct content: the same list issued again (a double click) is the copy already issued. A list that
    would take a number is issued only from its confirmation page, which names that number."""
    bloc = bloc_for_managing(request.user, pk, year)
    bloc_year_or_404(bloc, year)  # no "năm 0" list is ever numbered
    today = timezone.localdate()
    content = membership_list_content(bloc=bloc, year=year, today=today)

    def render(number_text: str) -> bytes:
        return content_pdf(content, number_text=number_text)

    spec = DocumentSpec(
        issuer=issuer_key("bloc", bloc.pk),
        issuer_code=bloc.code,
        doc_type=MEMBERSHIP_LIST_TYPE,
        year=today.year,  # numbers count per calendar year of issue
        title=f"Danh sách đơn vị thành viên {bloc.name} năm {year}",
        subject_key=membership_list_subject_key(bloc, year),
        render=render,
    )
    snapshot = membership_list_snapshot(content)
    if not confirmed(request) and services.membership_list_issued(bloc=bloc, year=year, snapshot=snapshot) is None:
        return _issue_confirm_page(request, bloc, year, spec)
    try:
        document, issued_now = services.membership_list_issue(
            bloc=bloc, year=year, snapshot=snapshot, spec=lambda: spec, by=request.user
        )
    except services.MembershipListUnavailable as error:
        if isinstance(error.__cause__, DocumentRenderError):
            # The details are in the log (documents.services logs them); the user learns what matters.
            messages.error(request, _("The document could not be rendered, so no number was taken. Please try again."))
        else:  # another request (a double click) is issuing this very list right now
            messages.info(request, str(error))
    else:
        if issued_now:
            messages.success(
                request, _("The membership list was issued as No. %(number)s.") % {"number": document.number_text}
            )
        else:
            messages.info(
                request,
                _("This membership list is unchanged since it was issued as No. %(number)s; no new number was taken.")
                % {"number": document.number_text},
            )
    return redirect(reverse("blocs:bloc_detail", args=[pk]) + f"?year={year}")


def _issue_confirm_page(request, bloc, year: int, spec: DocumentSpec):
    """The confirmation of a membership list's issue: the number of ``spec``'s register it would take."""
    number = number_text_peek(issuer=spec.issuer, issuer_code=spec.issuer_code, doc_type=spec.doc_type, year=spec.year)
    return confirm_page(
        request,
        Confirmation(
            title=_("Issue the membership list?"),
            consequences=[
                _("The membership list of %(year)s will be issued as No. %(number)s.")
                % {"year": year, "number": number},
                _("A later change of the members, seats or signer needs a new copy with the next number."),
            ],
            back_url=reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={year}",
        ),
    )


@require_safe
def issued_document_download(request, pk: int):
    """An issued document's PDF, for those who may read the bloc-year it is about.

    The year that decides is the subject's (``registry.document_subject``), not ``document.year``, the
    calendar year of issue: the minutes of the 2020 conference, held in February 2021, are 2020's, so a
    unit that left the bloc after 2020 still downloads them but not 2021's, and a unit that joined in
    2022 downloads neither — the same ``can_read_bloc_year`` as the subject's own page. Anyone who may
    not see the bloc at all gets 404; a unit of the bloc in other years 403.
    """
    document = get_object_or_404(IssuedDocument, pk=pk)
    issuer = issuer_parse(document.issuer)
    if issuer is None:
        raise Http404
    kind, issuer_pk = issuer
    if kind == "bloc":
        bloc = bloc_for_viewing(request.user, issuer_pk)
        subject = registry.document_subject(document.subject_key)
        if subject is None or subject[0] != bloc.pk:
            raise Http404  # a bloc's document that no subject of the bloc claims has no year to read
        if not can_read_bloc_year(request.user, bloc, subject[1]):
            raise PermissionDenied
    elif kind == "council":
        # Council-wide documents are the Board's: 404 to everyone else, like any page they may not see.
        if not is_officer_of(request.user, issuer_pk):
            raise Http404
    else:
        raise Http404
    return stored_file_response(document.file, filename=os.path.basename(document.file.name))
