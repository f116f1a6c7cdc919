"""Pages of the meetings app. Thin: find the object, check permission (``blocs.access``), parse the form,
call a service, redirect with a message. One module per sub-domain, every page named here for urls.py.

Who may do what (docs/domain.md, roles):
* read a meeting, its minutes (PDF, Word) and scans: ``access.can_read_bloc_year`` for the year the
  meeting reviews (officers of the council, that year's members, the year's seat holders);
* schedule, edit, record results and the awards handed over, finalise and correct the minutes, upload
  scans, draft the news (the page, its PDF and Word): ``access.can_manage_bloc_year`` for that year
  (officers, the chair and vice-chairs of the year);
* the overview of a year's meetings across the council: officers (``access.council_for_officer``).
A user who may not see the bloc at all gets 404; a known user without the right gets 403.
"""

from .minutes import (
    minutes_correction,
    minutes_finalise,
    minutes_pdf,
    minutes_pdf_retry,
    minutes_scan_download,
    minutes_scan_upload,
    minutes_word,
)
from .news import news_docx, news_pdf
from .results import meeting_awards_handed_over, meeting_results
from .schedule import (
    bloc_meetings,
    meeting_delete,
    meeting_detail,
    meeting_edit,
    meeting_news,
    meeting_schedule,
    meetings_overview,
)

__all__ = [
    "bloc_meetings",
    "meeting_awards_handed_over",
    "meeting_delete",
    "meeting_detail",
    "meeting_edit",
    "meeting_news",
    "meeting_results",
    "meeting_schedule",
    "meetings_overview",
    "news_docx",
    "news_pdf",
    "minutes_correction",
    "minutes_finalise",
    "minutes_pdf",
    "minutes_pdf_retry",
    "minutes_scan_download",
    "minutes_scan_upload",
    "minutes_word",
]
