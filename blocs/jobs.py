"""The blocs app's files made by background jobs (documents.jobs): each a ``make(*, job, progress)``."""

from __future__ import annotations

from django.utils import timezone

from documents.jobs import JobFile, Progress
from documents.models import FileJob
from documents.services import issuer_parse

from . import excel
from .models import Council


def council_export_make(*, job: FileJob, progress: Progress) -> JobFile:
    """The council's workbook: units in the import format, blocs, members and seats of every year
    (``blocs.excel_views.council_export``)."""
    subject = issuer_parse(job.subject)
    if subject is None or subject[0] != "council":
        raise ValueError(f"a council export is a council's, not {job.subject!r}")
    council = Council.objects.get(pk=subject[1])
    content = excel.council_export_workbook(council=council)
    progress(95)
    return JobFile(
        content=content,
        file_name=excel.council_export_filename(council=council, today=timezone.localdate()),
        content_type=excel.XLSX_CONTENT_TYPE,
    )
