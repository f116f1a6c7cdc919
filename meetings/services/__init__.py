"""Every change of a meeting and its minutes. Keyword-only, typed, atomic, composable; one module per
sub-domain, and every public name here so callers write ``from meetings import services``:

* ``schedule`` — a meeting's schedule (when, where, who presides, guests, agenda);
* ``results`` — what the conference did, recorded in one transaction (``meeting_record_results``), with
  ``results_awards`` for the awards it deals with (votes, the bloc's own awards, awards handed over);
* ``minutes`` — the minutes made from the record: finalised, numbered and printed, corrected, scanned.

Permissions are the views' business (``blocs.access``); docs/architecture.md says how a conference is
recorded in one transaction across the apps.
"""

from ._shared import ROW_KEY, meeting_reference
from .minutes import (
    MinutesPdfUnavailable,
    minutes_correction_start,
    minutes_current,
    minutes_finalise,
    minutes_number_peek,
    minutes_pdf_issue,
    minutes_scan_upload,
)
from .results import (
    AttendanceEntry,
    ElectionEntry,
    HandoverEntry,
    MovementEntry,
    PledgeSigningEntry,
    meeting_record_results,
)
from .results_awards import BlocAwardEntry, VoteEntry, meeting_awards_handed_over_set
from .schedule import SCHEDULE_FIELDS, GuestEntry, meeting_delete, meeting_schedule, meeting_update

__all__ = [
    "ROW_KEY",
    "SCHEDULE_FIELDS",
    "AttendanceEntry",
    "BlocAwardEntry",
    "ElectionEntry",
    "GuestEntry",
    "HandoverEntry",
    "MinutesPdfUnavailable",
    "MovementEntry",
    "PledgeSigningEntry",
    "VoteEntry",
    "meeting_awards_handed_over_set",
    "meeting_delete",
    "meeting_record_results",
    "meeting_reference",
    "meeting_schedule",
    "meeting_update",
    "minutes_correction_start",
    "minutes_current",
    "minutes_finalise",
    "minutes_number_peek",
    "minutes_pdf_issue",
    "minutes_scan_upload",
]
