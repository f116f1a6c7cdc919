"""The awards' files made by background jobs (documents.jobs): each a ``make(*, job, progress)``."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from blocs.models import Council
from documents.jobs import JobFile, Progress
from documents.models import FileJob
from documents.render import file_name_safe, render_pdf
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


def award_list_pdf_make(*, job: FileJob, progress: Progress) -> JobFile:
    """The council's award list as PDF, for the filters the officer chose (``awards.views.award_list_pdf``)."""
    subject = issuer_parse(job.subject)
    if subject is None or subject[0] != "council":
        raise ValueError(f"an award list is a council's, not {job.subject!r}")
    council = Council.objects.get(pk=subject[1])
    params = job.params
    proposals = list(selectors.council_award_list(council=council, **params))
    progress(20)
    context = printing.list_context(
        council=council, year=params["year"], proposals=proposals, today=timezone.localdate()
    )
    with cyclic_gc_paused():
        pdf = render_pdf(printing.LIST_TEMPLATE, context)
    progress(95)
    return JobFile(
        content=pdf,
        file_name=file_name_safe(f"DS-khen-thuong-{params['year']}") + ".pdf",
        content_type="application/pdf",
    )
