"""The awards' files made by background jobs (documents.jobs): each a ``make(*, job, progress)``."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from blocs.models import Council
from blocs.web import DOCX_CONTENT_TYPE
from documents.content import DocumentContent
from documents.docx import content_docx
from documents.jobs import JobFile, Progress
from documents.models import FileJob
from documents.render import content_pdf
from documents.services import issuer_parse

from . import printing, selectors


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a long render. WeasyPrint makes hundreds of thousands of
    objects for a list of hundreds of rows, and the collector passes over every one of them again and again
    as they pile up: a quarter of a 500-row list's time, for next to no memory back. Reference counting
    still frees what the render drops; the cycles left go at the first collection after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _award_list(job: FileJob, progress: Progress) -> DocumentContent:
    """The council's award list of the job's filters (``awards.views.award_list_pdf`` and ``_docx``)."""
    subject = issuer_parse(job.subject)
    if subject is None or subject[0] != "council":
        raise ValueError(f"an award list is a council's, not {job.subject!r}")
    council = Council.objects.get(pk=subject[1])
    proposals = list(selectors.council_award_list(council=council, **job.params))
    progress(20)
    return printing.list_content(
        council=council, year=job.params["year"], proposals=proposals, today=timezone.localdate()
    )


def award_list_pdf_make(*, job: FileJob, progress: Progress) -> JobFile:
    """The council's award list as PDF, for the filters the officer chose (``awards.views.award_list_pdf``)."""
    content = _award_list(job, progress)
    with cyclic_gc_paused():
        pdf = content_pdf(content)
    progress(95)
    return JobFile(
        content=pdf,
        file_name=printing.list_file_name(
            year=job.params["year"], today=content.date or timezone.localdate(), ext="pdf"
        ),
        content_type="application/pdf",
    )


def award_list_docx_make(*, job: FileJob, progress: Progress) -> JobFile:
    """The same list as an editable Word file (``awards.views.award_list_docx``)."""
    content = _award_list(job, progress)
    with cyclic_gc_paused():
        data = content_docx(content)
    progress(95)
    return JobFile(
        content=data,
        file_name=printing.list_file_name(
            year=job.params["year"], today=content.date or timezone.localdate(), ext="docx"
        ),
        content_type=DOCX_CONTENT_TYPE,
    )
