"""The council's year report (báo cáo năm của hội đồng), of the demo's An Giang in the year its article
reports: every table has rows."""

from __future__ import annotations

from django.utils import translation

from blocs.models import Council
from blocs.reporting import report_build, report_content
from blocs.reports import COUNCIL_YEAR
from documents.render import DOCUMENT_LANGUAGE

from . import ISSUE_DAY, Sample

KINDS = ["council year report"]


def build() -> dict[str, Sample]:
    council = Council.objects.get(name="Hội đồng Thi đua – Khen thưởng tỉnh An Giang")
    with translation.override(DOCUMENT_LANGUAGE):
        content = report_content(report_build(COUNCIL_YEAR, council=council, year=2020), today=ISSUE_DAY)
    return {"council year report": Sample(content, "")}
