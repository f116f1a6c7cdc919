"""Every change of a meeting and its minutes. Keyword-only, typed, atomic, composable.

The centre is ``meeting_record_results``: a conference's outcomes recorded on one page, in ONE
transaction that wraps the services of the apps that own them — ``awards`` (proposals voted on, the
bloc's own awards), ``blocs`` (the seats elected) and ``pledges`` (the pledge signed at the meeting).
This app never writes their tables; it keeps link rows with a snapshot of what the conference decided.
Any error anywhere raises one ``ValidationError`` whose keys are the names of the results form's
fields (``votes-2-votes_for``, ``election_chair`` …), so the page shows each error next to its field,
and the whole transaction rolls back: nothing is half-saved.

Minutes (biên bản) are made from the record: a draft version follows it; ``minutes_finalise`` freezes
the content, and the number and PDF are issued after the commit (``minutes_pdf_issue``), never inside the
transaction, so a failed render loses nothing (the error is kept on the version and the page offers to
try again). Once final, the results change only after ``minutes_correction_start`` (a new version, with
a reason).

Permissions are the views' business (``blocs.access``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import services as awards_services
from awards.models import AwardType, Person, Proposal
from blocs.models import Bloc, Seat, SeatWrite, Unit, User
from blocs.services import seats_set
from blocs.text import nfc_line, nfc_text
from documents.models import IssuedDocument
from documents.services import DocumentSpec, document_issue_once, issuer_key
from documents.uploads import scan_store
from pledges import services as pledges_services
from pledges.models import Pledge, PledgeVersion

from .models import (
    DOC_TYPE,
    AttendanceState,
    Meeting,
    MeetingAttendance,
    MeetingAwardHandedOver,
    MeetingBlocAward,
    MeetingElectedSeat,
    MeetingElection,
    MeetingGuest,
    MeetingHandover,
    MeetingPledgeSigning,
    MeetingProposalVote,
    Minutes,
    MinutesScan,
    MinutesVersion,
)

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"


class MinutesPdfUnavailable(Exception):
    """The minutes' PDF could not be made now (render failure, or another request is making it)."""


def _history_user(obj, by: User | None):
    if by is not None:
        obj._history_user = by
    return obj


def meeting_reference(meeting: Meeting) -> str:
    """How awards remembers the conference that decided a bloc-issued award ("meeting:12")."""
    return f"meeting:{meeting.pk}"


# Scheduling --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuestEntry:
    """Khách mời, as the schedule form sends it."""

    organisation: str
    name: str = ""
    position: str = ""


SCHEDULE_FIELDS = (
    "kind",
    "year",
    "title",
    "date",
    "start_time",
    "end_time",
    "place",
    "date_line_place",
    "host_unit",
    "presiding_name",
    "presiding_title",
    "secretary_name",
    "secretary_title",
    "agenda",
)


def meeting_schedule(
    *,
    bloc: Bloc,
    kind: str,
    year: int,
    date: date,
    by: User | None,
    start_time: time | None = None,
    place: str = "",
    date_line_place: str = "",
    end_time: time | None = None,
    title: str = "",
    host_unit: Unit | None = None,
    presiding_name: str = "",
    presiding_title: str = "",
    secretary_name: str = "",
    secretary_title: str = "",
    agenda: str = "",
    guests: Sequence[GuestEntry] = (),
) -> Meeting:
    """Schedule a meeting of ``bloc`` reviewing ``year``: when, where, who presides and takes the minutes,
    the guests and the agenda. One year-end conference per bloc-year."""
    meeting = Meeting(bloc=bloc, created_by=by)
    values = {
        "kind": kind,
        "year": year,
        "title": title,
        "date": date,
        "start_time": start_time,
        "end_time": end_time,
        "place": place,
        "date_line_place": date_line_place,
        "host_unit": host_unit,
        "presiding_name": presiding_name,
        "presiding_title": presiding_title,
        "secretary_name": secretary_name,
        "secretary_title": secretary_title,
        "agenda": agenda,
    }
    with transaction.atomic():
        _meeting_assign(meeting, values)
        _meeting_save(meeting, by)
        _guests_set(meeting, guests, by)
    return meeting


def meeting_update(
    *, meeting: Meeting, by: User | None, guests: Sequence[GuestEntry] | None = None, **values
) -> Meeting:
    """Change a meeting's schedule (any of ``SCHEDULE_FIELDS``) and, if given, its guests.

    These facts print in the minutes, so once the minutes are final they change only after a correction
    is started; the year reviewed cannot change once results are recorded (attendance depends on it).
    """
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("bloc__council").get(pk=meeting.pk)
        _require_minutes_open(meeting)
        if meeting.is_held and "year" in values and values["year"] != meeting.year:
            raise ValidationError(
                {
                    "year": _("The results of %(year)s are recorded: the year reviewed cannot change.")
                    % {"year": meeting.year}
                }
            )
        changed = _meeting_assign(meeting, values)
        if changed:
            _meeting_save(meeting, by)
        if guests is not None:
            _guests_set(meeting, guests, by)
    return meeting


def meeting_delete(*, meeting: Meeting, by: User | None) -> None:
    """Cancel a scheduled meeting. A meeting whose results are recorded stays (it is part of the record)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_held:
            raise ValidationError(_("The results of this meeting are recorded; it cannot be deleted."))
        _history_user(meeting, by)
        meeting.delete()


def _meeting_assign(meeting: Meeting, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        field = Meeting._meta.get_field(name)
        if isinstance(value, str):
            value = field.to_python(value)  # the form the field stores (blocs.fields), to compare
        current = getattr(meeting, field.attname if field.is_relation else name)
        wanted = value.pk if field.is_relation and value is not None else value
        if current != wanted:
            setattr(meeting, name, value)
            changed = True
    return changed


def _meeting_save(meeting: Meeting, by: User | None) -> None:
    """Check and save the schedule: the database's rules in words, plus the ones spanning tables."""
    errors: dict[str, list[str]] = {}
    try:
        meeting.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if meeting.kind == Meeting.Kind.OTHER and not meeting.title:
        errors.setdefault("title", []).append(_("Give the meeting a title."))
    if meeting.end_time and meeting.start_time and meeting.end_time <= meeting.start_time:
        errors.setdefault("end_time", []).append(_("The meeting must end after it starts."))
    if meeting.host_unit_id and meeting.year:
        # The host is a member of the bloc: usually the chair of the year reviewed, or the next year's.
        hosts = meeting.bloc.memberships.filter(unit_id=meeting.host_unit_id)
        if not (hosts.covering(meeting.year).exists() or hosts.covering(meeting.year + 1).exists()):
            errors.setdefault("host_unit", []).append(
                _("%(unit)s is not a member of the bloc in %(year)s.")
                % {"unit": meeting.host_unit.name, "year": meeting.year}
            )
    if meeting.kind == Meeting.Kind.YEAR_END and meeting.year:
        clash = Meeting.objects.filter(bloc=meeting.bloc, year=meeting.year, kind=Meeting.Kind.YEAR_END)
        if clash.exclude(pk=meeting.pk).exists():
            errors.setdefault("year", []).append(
                _("%(bloc)s already has a year-end conference for %(year)s.")
                % {"bloc": meeting.bloc.name, "year": meeting.year}
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint: a lost race keeps the outer transaction usable
            _history_user(meeting, by).save()
    except IntegrityError as error:
        raise ValidationError(
            {
                "year": [
                    _("%(bloc)s already has a year-end conference for %(year)s.")
                    % {"bloc": meeting.bloc.name, "year": meeting.year}
                ]
            }
        ) from error


def _guests_set(meeting: Meeting, guests: Sequence[GuestEntry], by: User | None) -> None:
    wanted = [(nfc_line(g.name), nfc_line(g.position), nfc_line(g.organisation)) for g in guests]
    errors = {}
    for index, (_name, _position, organisation) in enumerate(wanted):
        if not organisation:
            errors[f"guests-{index}-organisation"] = [_("Give the guest's organisation.")]
    if errors:
        raise ValidationError(errors)
    current = list(meeting.guests.order_by("order", "id"))
    if [(g.name, g.position, g.organisation) for g in current] == wanted:
        return  # nothing changed: no history entries
    for guest in current:
        _history_user(guest, by).delete()
    for order, (name, position, organisation) in enumerate(wanted):
        _history_user(
            MeetingGuest(meeting=meeting, order=order, name=name, position=position, organisation=organisation), by
        ).save()


# Recording the results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """A member unit at the meeting: present or not, and its representatives."""

    unit: Unit
    present: bool = True
    representatives: str = ""


@dataclass(frozen=True)
class VoteEntry:
    """A candidate the conference voted on: the award, the recipient (a member unit, a collective named
    inside one, or a person with position and unit) and the tally — counts, or acclamation (thống nhất).
    ``members_present`` left empty is the number of member units present."""

    award_type: AwardType
    unit: Unit | None = None
    collective_name: str = ""
    person_name: str = ""
    person_position: str = ""
    members_present: int | None = None
    ballots_cast: int | None = None
    votes_for: int | None = None
    acclamation: bool = False


@dataclass(frozen=True)
class BlocAwardEntry:
    """An award the bloc gives itself at the conference: a collective (a unit, or a named collective inside
    one) or a person of a member unit."""

    award_type: AwardType
    unit: Unit | None = None
    collective_name: str = ""
    person_name: str = ""
    person_position: str = ""


@dataclass(frozen=True)
class ElectionEntry:
    """The chair and the ordered vice-chairs elected for ``year`` (default: the year after the one
    reviewed)."""

    chair: Unit | None
    vice_chairs: Sequence[Unit] = ()
    year: int | None = None
    method: str = MeetingElection.Method.NOT_RECORDED  # how: secret ballot, acclamation, or not recorded
    # Secret ballot only, each None when not recorded: the valid ballots cast, and the votes each elected
    # unit received (chair first, then the vice-chairs in order, as ``vice_chairs``).
    ballots: int | None = None
    votes: Sequence[int | None] = ()

    def votes_of(self, rank: int) -> int | None:
        return self.votes[rank] if rank < len(self.votes) else None


@dataclass(frozen=True)
class HandoverEntry:
    outgoing: Unit | None
    incoming: Unit | None
    flag_handed: bool = False
    flag_received_by: str = ""  # who received the flag on the incoming unit's behalf, if stated


@dataclass(frozen=True)
class PledgeSigningEntry:
    """The pledge of ``year`` (normally the next year) was signed at the meeting by the members present;
    ``year`` None: no pledge was signed at it."""

    year: int | None


@dataclass(frozen=True)
class MovementEntry:
    launched: bool
    text: str = ""


class _Errors:
    """Collects the errors of every step, keyed to the results form's field names."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, messages) -> None:
        if isinstance(messages, str):
            messages = [messages]
        self.errors.setdefault(key, []).extend(str(m) for m in messages)

    def merge(self, error: ValidationError, key_of: Callable[[str], str]) -> None:
        """A ValidationError of an inner service, its field names mapped to the form's."""
        if hasattr(error, "error_dict"):
            for field, field_errors in error.error_dict.items():
                self.add(key_of(field), [m for e in field_errors for m in e.messages])
        else:
            self.add(key_of(NON_FIELD), error.messages)

    def step(self, key_of: Callable[[str], str]):
        """``with errors.step(...)``: run one step in a savepoint; a ValidationError is recorded, and the
        step's own writes roll back so the next step starts clean."""
        return _Step(self, key_of)

    def __bool__(self):
        return bool(self.errors)


class _Step:
    def __init__(self, errors: _Errors, key_of: Callable[[str], str]):
        self.errors, self.key_of = errors, key_of
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, ValidationError):
            self.atomic.__exit__(exc_type, exc, tb)  # roll the savepoint back
            self.errors.merge(exc, self.key_of)
            return True  # recorded; go on with the next step to report every error at once
        return self.atomic.__exit__(exc_type, exc, tb)


def _row_key(prefix: str, index: int, aliases: dict[str, str] | None = None) -> Callable[[str], str]:
    aliases = aliases or {}

    def key_of(field: str) -> str:
        return f"{prefix}-{index}-{aliases.get(field, field)}"

    return key_of


def _fixed(key: str) -> Callable[[str], str]:
    return lambda field: key


def _keyed(mapping: dict[str, str], default: str = NON_FIELD) -> Callable[[str], str]:
    return lambda field: mapping.get(field, default)


def meeting_record_results(
    *,
    meeting: Meeting,
    attendance: Sequence[AttendanceEntry] | None,
    report_summary: str | None = "",
    directions: str | None = "",
    votes: Sequence[VoteEntry] | None = (),
    bloc_awards: Sequence[BlocAwardEntry] | None = (),
    election: ElectionEntry | None = None,
    handover: HandoverEntry | None = None,
    pledge_signing: PledgeSigningEntry | None = None,
    movement: MovementEntry | None = None,
    attendance_state: str = AttendanceState.LIST,
    all_units_completed: bool = False,
    by: User | None,
) -> Meeting:
    """Record what a conference did, all in one transaction, or nothing at all.

    Attendance is what is known of it (``attendance_state``): not recorded (no rows: the minutes name no
    one present), every member present, or the list given. A vote's tally may be counts, acclamation, or
    neither (not recorded).

    A section passed as None (attendance, report_summary, directions, votes, bloc_awards, election,
    handover, pledge_signing, movement) was not touched on the page and stays as recorded (DESIGN 1a:
    sections of a form the user did not touch are not written). To say "no election" or "no handover"
    pass an entry without units; "not signed here" is ``PledgeSigningEntry(year=None)``.

    Recording again updates: the same proposal is found again (awards upserts by bloc, year, award type
    and recipient), attendance rows are updated, seats are written again only if the election changed.
    Every step runs even after an error in an earlier one, so the page can show all errors at once; then
    the whole transaction rolls back. Raises ``ValidationError`` keyed to the results form's fields.
    """
    errors = _Errors()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("bloc__council").get(pk=meeting.pk)
        _require_minutes_open(meeting)
        if meeting.date > timezone.localdate():
            raise ValidationError(
                _("The meeting is on %(date)s: record its results once it has been held.")
                % {"date": meeting.date.strftime("%d/%m/%Y")}
            )

        present_units = _attendance_record(meeting, attendance, attendance_state, errors, by)

        with errors.step(_keyed({"report_summary": "report_summary", "directions": "directions"})):
            if report_summary is not None:
                meeting.report_summary = report_summary
            if directions is not None:
                meeting.directions = directions
            if movement is not None:
                meeting.movement_launched = movement.launched
                meeting.movement_text = (movement.text or "") if movement.launched else ""
            meeting.all_units_completed = all_units_completed
            meeting.attendance_state = attendance_state
            meeting.full_clean(validate_constraints=False)
            meeting.status = Meeting.Status.HELD
            meeting.results_recorded_at = timezone.now()
            meeting.results_recorded_by = by
            _history_user(meeting, by).save()

        if votes is not None:
            _votes_record(meeting, votes, present_units, errors, by)
        if bloc_awards is not None:
            _bloc_awards_record(meeting, bloc_awards, errors, by)
        elected_chair = _election_record(meeting, election, errors, by)
        _handover_record(meeting, handover, election, elected_chair, errors, by)
        _pledge_record(meeting, pledge_signing, present_units, errors, by)

        if errors:
            raise ValidationError(errors.errors)
        _minutes_draft_ensure(meeting, by)
    return meeting


def _require_minutes_open(meeting: Meeting) -> None:
    """Final minutes print the record as it was: changing it needs a correction first."""
    current = MinutesVersion.objects.filter(minutes__meeting=meeting).order_by("-number").first()
    if current is not None and current.is_final:
        raise ValidationError(
            _(
                "The minutes (version %(number)s) are final. Start a correction, with its reason, before "
                "changing what the meeting recorded."
            )
            % {"number": current.number}
        )


def _members_of(bloc: Bloc, year: int) -> set[int]:
    return set(bloc.memberships.covering(year).values_list("unit_id", flat=True))


def _attendance_record(
    meeting: Meeting, attendance: Sequence[AttendanceEntry], state: str, errors: _Errors, by
) -> set[int] | None:
    """Who came, one row per member unit; returns the ids of the units present, or None when attendance
    is not recorded (then no rows are kept: nobody is said to be present or absent)."""
    if attendance is None:  # not touched on the page: the units recorded present
        return set(meeting.attendance.filter(present=True).values_list("unit_id", flat=True))
    members = _members_of(meeting.bloc, meeting.year)
    if state == AttendanceState.NOT_RECORDED:
        with errors.step(_fixed("attendance")):
            for row in meeting.attendance.all():
                _history_user(row, by).delete()
        return None
    if state == AttendanceState.ALL:
        attendance = [replace(entry, present=True) for entry in attendance]
    seen: set[int] = set()
    for index, entry in enumerate(attendance):
        if entry.unit.pk not in members:
            errors.add(
                f"attendance-{index}-unit",
                _("%(unit)s is not a member of the bloc in %(year)s: only members attend as members.")
                % {"unit": entry.unit.name, "year": meeting.year},
            )
        elif entry.unit.pk in seen:
            errors.add(f"attendance-{index}-unit", _("%(unit)s is listed twice.") % {"unit": entry.unit.name})
        seen.add(entry.unit.pk)
    present = {entry.unit.pk for entry in attendance if entry.present and entry.unit.pk in members}
    if not present:
        errors.add(
            "attendance",
            _("Tick the member units that attended, or choose “not recorded” if the record does not say."),
        )
    if errors:
        return present

    with errors.step(_fixed("attendance")):
        current = {row.unit_id: row for row in meeting.attendance.all()}
        for entry in attendance:
            representatives = nfc_line(entry.representatives)
            row = current.pop(entry.unit.pk, None)
            if row is None:
                row = MeetingAttendance(meeting=meeting, unit=entry.unit)
            elif row.present == entry.present and row.representatives == representatives:
                continue
            row.present = entry.present
            row.representatives = representatives
            row.full_clean(exclude=["meeting", "unit"])
            _history_user(row, by).save()
        for row in current.values():  # units left out of the form (no longer members)
            _history_user(row, by).delete()
    return present


# Votes on proposals (awards) ---------------------------------------------------------------------------

VOTE_ALIASES = {
    "person": "person_name",
    "collective_name": "collective_name",
    "bloc": "award_type",
    "year": "award_type",
}


def _person(entry, by) -> Person | None:
    """The person an individual award names (found again by name within the unit), or None."""
    if not nfc_line(entry.person_name):
        return None
    if entry.unit is None:
        raise ValidationError({"unit": _("Choose the person's unit.")})
    return awards_services.person_get_or_create(
        unit=entry.unit, name=entry.person_name, position=entry.person_position, by=by
    )


def _tally_matches(proposal: Proposal, entry: VoteEntry) -> bool:
    """The proposal already holds this tally (members present left empty matches any count)."""
    return (
        proposal.acclamation == entry.acclamation
        and (entry.members_present is None or proposal.members_present == entry.members_present)
        and proposal.ballots_cast == (None if entry.acclamation else entry.ballots_cast)
        and proposal.votes_for == (None if entry.acclamation else entry.votes_for)
    )


def _vote_check(entry: VoteEntry, index: int, present_count: int | None, bloc: Bloc, errors: _Errors) -> bool:
    """The tally in words, before awards checks it again (the same rules, said per field here)."""
    key = _row_key("votes", index)
    before = len(errors.errors)
    if entry.award_type.council_id != bloc.council_id:
        errors.add(key("award_type"), _("The award type belongs to another council."))
    elif entry.award_type.is_bloc_issued:
        errors.add(
            key("award_type"),
            _("%(type)s is an award of the bloc itself: record it under the bloc's own awards.")
            % {"type": entry.award_type.name},
        )
    if entry.unit is None:
        errors.add(key("unit"), _("Choose the recipient unit (for a person: the person's unit)."))
    if entry.acclamation:
        if entry.ballots_cast is not None or entry.votes_for is not None:
            errors.add(
                key("acclamation"), _("By acclamation there are no ballots: leave ballots cast and votes for empty.")
            )
    else:
        # No counts and no acclamation is a tally "not recorded" (the record does not say); one count
        # without the other is a typing slip.
        if entry.ballots_cast is None and entry.votes_for is not None:
            errors.add(key("ballots_cast"), _("Give the ballots cast with the votes for, or leave both empty."))
        if entry.votes_for is None and entry.ballots_cast is not None:
            errors.add(key("votes_for"), _("Give the votes for with the ballots cast, or leave both empty."))
        if entry.ballots_cast is not None and entry.votes_for is not None and entry.votes_for > entry.ballots_cast:
            errors.add(
                key("votes_for"),
                _("Votes for (%(for)s) cannot exceed ballots cast (%(cast)s).")
                % {"for": entry.votes_for, "cast": entry.ballots_cast},
            )
    members_present = entry.members_present if entry.members_present is not None else present_count
    if members_present is None:
        return len(errors.errors) == before  # attendance not recorded: nothing to check the counts against
    if present_count is not None and members_present > present_count:
        errors.add(
            key("members_present"),
            _("Only %(count)s member units were present at the meeting.") % {"count": present_count},
        )
    if not entry.acclamation and entry.ballots_cast is not None and entry.ballots_cast > members_present:
        errors.add(
            key("ballots_cast"),
            _("Ballots cast (%(cast)s) cannot exceed members present (%(present)s).")
            % {"cast": entry.ballots_cast, "present": members_present},
        )
    return len(errors.errors) == before


def _votes_record(meeting: Meeting, votes: Sequence[VoteEntry], present: set[int] | None, errors: _Errors, by) -> None:
    bloc = meeting.bloc
    kept: set[int] = set()
    present_count = len(present) if present is not None else None
    for index, entry in enumerate(votes):
        key = _row_key("votes", index, VOTE_ALIASES)
        if not _vote_check(entry, index, present_count, bloc, errors):
            continue
        with errors.step(key):
            person = _person(entry, by)
            tally = awards_services.Tally(
                members_present=entry.members_present if entry.members_present is not None else present_count,
                ballots_cast=None if entry.acclamation else entry.ballots_cast,
                votes_for=None if entry.acclamation else entry.votes_for,
                acclamation=entry.acclamation,
            )
            recipient = {
                "unit": None if person else entry.unit,
                "collective_name": "" if person else nfc_line(entry.collective_name),
                "person": person,
            }
            proposal = awards_services.proposal_find(
                bloc=bloc, year=meeting.year, award_type=entry.award_type, **recipient
            )
            if proposal is not None and proposal.pk in kept:
                raise ValidationError(
                    {
                        "award_type": _("%(recipient)s is already listed for %(type)s above.")
                        % {"recipient": proposal.recipient_name, "type": entry.award_type.name}
                    }
                )
            # The same tally on an existing proposal is a link, not a change: a proposal already
            # submitted or decided (e.g. entered before the minutes) keeps its state.
            if proposal is None or not _tally_matches(proposal, entry):
                proposal = awards_services.proposal_save(
                    bloc=bloc, year=meeting.year, award_type=entry.award_type, tally=tally, by=by, **recipient
                )
            kept.add(proposal.pk)
            proposal = Proposal.objects.select_related("award_type", "unit", "person").get(pk=proposal.pk)
            _link_save(
                MeetingProposalVote,
                meeting=meeting,
                proposal=proposal,
                values={
                    "order": index,
                    "award_type_name": proposal.award_type.name,
                    "recipient_name": proposal.recipient_name,
                    "recipient_detail": proposal.recipient_detail,
                    "members_present": proposal.members_present,
                    "ballots_cast": proposal.ballots_cast,
                    "votes_for": proposal.votes_for,
                    "acclamation": proposal.acclamation,
                },
                by=by,
            )
    if errors:
        return
    # Rows removed from the form: their drafts go (through awards); a proposal that went out stays, and
    # so does its place in the minutes.
    with errors.step(_fixed("votes")):
        for link in meeting.votes.exclude(proposal_id__in=kept).select_related("proposal"):
            proposal = link.proposal
            if proposal.status != Proposal.Status.DRAFT or proposal.submission_id:
                raise ValidationError(
                    _("%(recipient)s (%(type)s) is already “%(status)s”; it stays in the record.")
                    % {
                        "recipient": proposal.recipient_name,
                        "type": link.award_type_name,
                        "status": proposal.get_status_display(),
                    }
                )
            _history_user(link, by).delete()
            if not MeetingProposalVote.objects.filter(proposal=proposal).exists():
                awards_services.proposal_delete(proposal=proposal, by=by)


def _link_save(model, *, meeting: Meeting, proposal: Proposal, values: dict, by) -> None:
    """Create or update a link row, saving only when something differs (each save is a history entry)."""
    link = model.objects.filter(meeting=meeting, proposal=proposal).first()
    if link is None:
        link = model(meeting=meeting, proposal=proposal)
    elif all(getattr(link, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(link, name, value)
    _history_user(link, by).save()


# The bloc's own awards (awards) ------------------------------------------------------------------------


def _bloc_awards_record(meeting: Meeting, entries: Sequence[BlocAwardEntry], errors: _Errors, by) -> None:
    bloc = meeting.bloc
    reference = meeting_reference(meeting)
    drafts: list[tuple[int, Proposal]] = []
    keep: list[tuple[int, Proposal]] = []
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        key = _row_key("awards", index, VOTE_ALIASES)
        if entry.award_type.council_id != bloc.council_id:
            errors.add(key("award_type"), _("The award type belongs to another council."))
            continue
        if not entry.award_type.is_bloc_issued:
            errors.add(
                key("award_type"),
                _("%(type)s is not an award of the bloc itself: record its vote under the candidates above.")
                % {"type": entry.award_type.name},
            )
            continue
        if entry.unit is None:
            errors.add(key("unit"), _("Choose the unit (for a person: the person's unit)."))
            continue
        with errors.step(key):
            person = _person(entry, by)
            recipient = {
                "unit": None if person else entry.unit,
                "collective_name": "" if person else nfc_line(entry.collective_name),
                "person": person,
            }
            proposal = awards_services.proposal_find(
                bloc=bloc, year=meeting.year, award_type=entry.award_type, **recipient
            )
            if proposal is not None and proposal.pk in seen:
                raise ValidationError({"award_type": _("This recipient is already listed above.")})
            if proposal is None:
                proposal = awards_services.proposal_save(
                    bloc=bloc, year=meeting.year, award_type=entry.award_type, by=by, **recipient
                )
            elif proposal.status == Proposal.Status.DECIDED:
                # Decided already: at this conference (recorded again), or entered in awards with the
                # conference's date. Anything else is another conference's award.
                if proposal.meeting_ref not in ("", reference) or (
                    proposal.conference_date and proposal.conference_date != meeting.date
                ):
                    raise ValidationError(
                        {
                            "award_type": _(
                                "%(recipient)s already received %(type)s for %(year)s at another conference."
                            )
                            % {
                                "recipient": proposal.recipient_name,
                                "type": entry.award_type.name,
                                "year": meeting.year,
                            }
                        }
                    )
            elif proposal.status != Proposal.Status.DRAFT:
                raise ValidationError(
                    {
                        "award_type": _("%(recipient)s (%(type)s) is “%(status)s”.")
                        % {
                            "recipient": proposal.recipient_name,
                            "type": entry.award_type.name,
                            "status": proposal.get_status_display(),
                        }
                    }
                )
            seen.add(proposal.pk)
            (keep if proposal.status == Proposal.Status.DECIDED else drafts).append((index, proposal))
    if errors:
        return
    with errors.step(_fixed("awards")):
        if drafts:
            awards_services.bloc_award_decide(
                proposals=[proposal for _index, proposal in drafts],
                conference_date=meeting.date,
                meeting_ref=reference,
                by=by,
            )
        ids = [proposal.pk for _index, proposal in [*keep, *drafts]]
        order = {proposal.pk: index for index, proposal in [*keep, *drafts]}
        for proposal in Proposal.objects.filter(pk__in=ids).select_related("award_type", "unit", "person"):
            _link_save(
                MeetingBlocAward,
                meeting=meeting,
                proposal=proposal,
                values={
                    "order": order[proposal.pk],
                    "award_type_name": proposal.award_type.name,
                    "individual": proposal.is_individual,
                    "recipient_name": proposal.recipient_name,
                    "recipient_detail": proposal.recipient_detail,
                },
                by=by,
            )
        removed = list(meeting.bloc_awards.exclude(proposal_id__in=ids))
        if removed:
            # Awards has no way to undo a decided award; the minutes keep saying what was decided.
            raise ValidationError(
                _("%(recipient)s was honoured at this conference (%(type)s); that decision cannot be removed here.")
                % {"recipient": removed[0].recipient_name, "type": removed[0].award_type_name}
            )


# The election (blocs) ----------------------------------------------------------------------------------


def _election_keys(count: int) -> list[str]:
    """The results form's field of each elected seat: the chair, then the vice-chairs in order."""
    return ["election_chair", *[f"election_vice_{rank}" for rank in range(1, count)]]


def _election_check(meeting: Meeting, entry: ElectionEntry, year: int, errors: _Errors) -> bool:
    """The elected units are members of ``year``, one seat each; counts only for a secret ballot and no
    more votes than ballots. Records each error next to its field; True when all is well."""
    bloc = meeting.bloc
    members = _members_of(bloc, year)
    holders = [entry.chair, *entry.vice_chairs]
    keys = _election_keys(len(holders))
    before = len(errors.errors)
    if entry.chair is None:
        errors.add("election_chair", _("Choose the unit elected %(chair)s.") % {"chair": bloc.chair_word})
    seen: dict[int, int] = {}
    for rank, (unit, key) in enumerate(zip(holders, keys, strict=True)):
        if unit is None:
            continue
        if unit.pk in seen:
            if seen[unit.pk] == 0:
                message = _("%(unit)s cannot be elected %(chair)s and %(vice)s.")
            else:
                message = _("%(unit)s cannot be elected to two %(vice)s seats.")
            # In the bloc's own words: Khối trưởng, Khối phó / Cụm trưởng, Cụm phó.
            errors.add(key, message % {"unit": unit.name, "chair": bloc.chair_word, "vice": bloc.seat_label(1)})
        seen.setdefault(unit.pk, rank)
        if unit.pk not in members:
            errors.add(
                key,
                _("%(unit)s is not a member of the bloc in %(year)s: the elected units must be members that year.")
                % {"unit": unit.name, "year": year},
            )
    _election_counts_check(entry, keys, errors)
    return len(errors.errors) == before


def _election_counts_check(entry: ElectionEntry, keys: list[str], errors: _Errors) -> None:
    """Counts are optional (unknown is a valid answer) but, where entered, must be a secret ballot's and
    add up: no seat has more votes than there were valid ballots."""
    secret = entry.method == MeetingElection.Method.SECRET_BALLOT
    only_secret = _("Vote counts are recorded only for an election by secret ballot.")
    if entry.ballots is not None and not secret:
        errors.add("election_ballots", only_secret)
    for rank, key in enumerate(keys):
        votes = entry.votes_of(rank)
        if votes is None:
            continue
        if not secret:
            errors.add(f"{key}_votes", only_secret)
        elif entry.ballots is not None and votes > entry.ballots:
            errors.add(
                f"{key}_votes",
                _("%(votes)s votes is more than the %(ballots)s valid ballots.")
                % {"votes": votes, "ballots": entry.ballots},
            )


def _election_record(meeting: Meeting, entry: ElectionEntry | None, errors: _Errors, by) -> Unit | None:
    """Elect the seats through ``seats_set`` (source: conference); returns the elected chair."""
    existing = MeetingElection.objects.filter(meeting=meeting).first()
    if entry is None:  # not touched on the page: the election stays as recorded
        chair = existing.seats.filter(rank=0).select_related("unit").first() if existing else None
        return chair.unit if chair else None
    if entry.chair is None and not entry.vice_chairs:
        if existing is not None:
            # Nothing was elected after all: the link goes; the seats stay as last written (their own
            # history shows every write).
            with errors.step(_fixed("election_chair")):
                _history_user(existing, by).delete()
        return None
    year = entry.year or meeting.year + 1
    if not _election_check(meeting, entry, year, errors):
        return entry.chair
    with errors.step(_keyed({"chair": "election_chair", "vice_chairs": "election_vice_1"}, "election_chair")):
        _election_save(meeting, existing, entry, year, by)
    return entry.chair


def _election_save(meeting: Meeting, existing: MeetingElection | None, entry: ElectionEntry, year: int, by) -> None:
    bloc = meeting.bloc
    holders = [entry.chair, *entry.vice_chairs]
    wanted = [unit.pk for unit in holders]
    current = list(Seat.objects.filter(bloc=bloc, year=year).order_by("rank").values_list("unit_id", flat=True))
    # Seats are written only when they change: a conference that elects what is already set (say, the
    # rotation suggestion accepted before it) links to the write that set them. Like every other
    # writer, it leaves one line in the seats' history per change.
    if current != wanted:
        seats_set(
            bloc=bloc,
            year=year,
            chair=entry.chair,
            vice_chairs=list(entry.vice_chairs),
            by=by,
            source=SeatWrite.Source.CONFERENCE,
            reason=f"{meeting.display_title}, ngày {meeting.date:%d/%m/%Y}",
        )
    seat_write = SeatWrite.objects.filter(bloc=bloc, year=year).order_by("-written_at", "-id").first()
    election = existing or MeetingElection(meeting=meeting)
    values = {
        "year": year,
        "seat_write_id": getattr(seat_write, "pk", None),
        "method": entry.method,
        "ballots": entry.ballots,
    }
    if existing is None or any(getattr(existing, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(election, name, value)
        election.full_clean(exclude=["meeting", "seat_write"])
        _history_user(election, by).save()
    elected = [(unit.pk, entry.votes_of(rank), entry.ballots) for rank, unit in enumerate(holders)]
    recorded = list(existing.seats.order_by("rank").values_list("unit_id", "votes", "ballots")) if existing else None
    if recorded != elected:
        for seat in election.seats.all():
            _history_user(seat, by).delete()
        for rank, unit in enumerate(holders):
            seat = MeetingElectedSeat(
                election=election,
                rank=rank,
                unit=unit,
                unit_name=unit.name,
                votes=entry.votes_of(rank),
                ballots=entry.ballots,
            )
            _history_user(seat, by).save()


# The handover ------------------------------------------------------------------------------------------


def _handover_record(
    meeting: Meeting, entry: HandoverEntry | None, election: ElectionEntry | None, elected_chair, errors: _Errors, by
) -> None:
    existing = MeetingHandover.objects.filter(meeting=meeting).first()
    if entry is None:  # not touched on the page: as recorded
        return
    if entry.outgoing is None and entry.incoming is None:
        if existing is not None:
            with errors.step(_fixed("handover_outgoing")):
                _history_user(existing, by).delete()
        return
    bloc = meeting.bloc
    next_year = (election.year if election and election.year else None) or meeting.year + 1
    if entry.outgoing is None:
        errors.add("handover_outgoing", _("Choose the outgoing chair."))
    elif entry.outgoing.pk not in _members_of(bloc, meeting.year):
        errors.add(
            "handover_outgoing",
            _("%(unit)s is not a member of the bloc in %(year)s.")
            % {"unit": entry.outgoing.name, "year": meeting.year},
        )
    if entry.incoming is None:
        errors.add("handover_incoming", _("Choose the incoming chair."))
    elif elected_chair is not None and entry.incoming.pk != elected_chair.pk:
        errors.add(
            "handover_incoming",
            _("The incoming chair is the chair elected for %(year)s (%(unit)s).")
            % {"year": next_year, "unit": elected_chair.name},
        )
    elif entry.incoming.pk not in _members_of(bloc, next_year):
        errors.add(
            "handover_incoming",
            _("%(unit)s is not a member of the bloc in %(year)s.") % {"unit": entry.incoming.name, "year": next_year},
        )
    if entry.outgoing is not None and entry.incoming is not None and entry.outgoing.pk == entry.incoming.pk:
        errors.add("handover_incoming", _("A unit does not hand the chair over to itself."))
    if errors.errors.keys() & {"handover_outgoing", "handover_incoming"}:
        return
    with errors.step(
        _keyed({"outgoing_unit": "handover_outgoing", "incoming_unit": "handover_incoming"}, "handover_flag")
    ):
        handover = existing or MeetingHandover(meeting=meeting)
        if (
            existing is None
            or handover.outgoing_unit_id != entry.outgoing.pk
            or handover.incoming_unit_id != entry.incoming.pk
            or handover.flag_handed != entry.flag_handed
            or handover.flag_received_by != _flag_receiver(entry)
        ):
            handover.outgoing_unit = entry.outgoing
            handover.incoming_unit = entry.incoming
            handover.flag_handed = entry.flag_handed
            handover.flag_received_by = _flag_receiver(entry)
            handover.full_clean(exclude=["meeting", "outgoing_unit", "incoming_unit"])
            _history_user(handover, by).save()


def _flag_receiver(entry: HandoverEntry) -> str:
    """Who received the flag: kept only where the flag was handed (no receiver of a flag not handed)."""
    return nfc_line(entry.flag_received_by) if entry.flag_handed else ""


# The pledge signed at the meeting (pledges) -----------------------------------------------------------


def _pledge_record(
    meeting: Meeting, entry: PledgeSigningEntry | None, present: set[int] | None, errors: _Errors, by
) -> None:
    existing = MeetingPledgeSigning.objects.filter(meeting=meeting).select_related("version").first()
    if entry is None:  # not touched on the page: as recorded
        return
    if entry.year is None:  # "not signed at this meeting"
        if existing is not None:
            errors.add(
                "pledge_signed",
                _("The %(year)s pledge was signed at this meeting; the signatures stay as recorded.")
                % {"year": existing.pledge_year},
            )
        return
    with errors.step(_fixed("pledge_year")):
        if existing is not None and existing.pledge_year != entry.year:
            raise ValidationError(
                _("The %(year)s pledge was signed at this meeting; the signatures stay as recorded.")
                % {"year": existing.pledge_year}
            )
        pledge = Pledge.objects.filter(bloc=meeting.bloc, year=entry.year).first()
        if pledge is None:
            raise ValidationError(
                _("%(bloc)s has no pledge for %(year)s yet: draft it first, then record its signing here.")
                % {"bloc": meeting.bloc.name, "year": entry.year}
            )
        version = pledge.versions.order_by("-number").first()
        if version.state == PledgeVersion.State.DRAFTING:
            version = pledges_services.pledge_signing_open(version=version, by=by)
        if version.state == PledgeVersion.State.SIGNING:
            signatories = set(version.signatories.values_list("unit_id", flat=True))
            # Attendance not recorded: "the pledge was signed at the meeting" is all that is known, so its
            # signatories signed it there; otherwise only the units present did.
            signers = sorted(signatories if present is None else present & signatories)
            unsigned = set(version.signatories.filter(signed_on__isnull=True).values_list("unit_id", flat=True))
            if not signers:
                raise ValidationError(
                    _("None of the units present is a signatory of the %(year)s pledge.") % {"year": entry.year}
                )
            if set(signers) & unsigned:
                pledges_services.pledge_signatures_record(
                    version=version, signed_on=meeting.date, by=by, units=[u for u in signers if u in unsigned]
                )
            version.refresh_from_db()
        signed = version.signatories.filter(signed_on__isnull=False).count()
        total = version.signatories.count()
        signing = existing or MeetingPledgeSigning(meeting=meeting)
        values = {
            "version_id": version.pk,
            "pledge_year": entry.year,
            "signed_on": meeting.date,
            "units_signed": signed,
            "units_total": total,
        }
        if existing is None or any(getattr(signing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(signing, name, value)
            _history_user(signing, by).save()


# Awards handed over (decided earlier) ------------------------------------------------------------------


def meeting_awards_handed_over_set(*, meeting: Meeting, proposals: Sequence[Proposal], by: User | None) -> None:
    """Record the awards decided earlier (by an outside authority, for an earlier year, say) that were
    handed over at ``meeting``, in the order given; the minutes list them apart from the proposals voted.

    Only decided awards of the meeting's council can be handed over; awards are only read here. The
    names are kept as recorded, like the votes'. Final minutes change only after a correction is started.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("bloc").get(pk=meeting.pk)
        _require_minutes_open(meeting)
        wanted = list(
            Proposal.objects.filter(pk__in=[p.pk for p in proposals]).select_related("award_type", "unit", "person")
        )
        by_pk = {proposal.pk: proposal for proposal in wanted}
        errors = []
        for proposal in wanted:
            if proposal.award_type.council_id != meeting.bloc.council_id:
                errors.append(_("This award belongs to another council."))
            elif proposal.status != Proposal.Status.DECIDED:
                errors.append(
                    _("%(recipient)s (%(type)s) is not decided yet: only a decided award can be handed over.")
                    % {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
                )
        if len(by_pk) != len({p.pk for p in proposals}):
            errors.append(_("This award belongs to another council."))
        if errors:
            raise ValidationError({"awards_handed_over": errors})
        order = [p.pk for p in proposals]
        for link in meeting.awards_handed_over.exclude(proposal_id__in=order):
            _history_user(link, by).delete()
        for index, pk in enumerate(dict.fromkeys(order)):
            proposal = by_pk[pk]
            _link_save(
                MeetingAwardHandedOver,
                meeting=meeting,
                proposal=proposal,
                values={
                    "order": index,
                    "award_type_name": proposal.award_type.name,
                    "recipient_name": proposal.recipient_name,
                    "recipient_detail": proposal.recipient_detail,
                },
                by=by,
            )


# Minutes -----------------------------------------------------------------------------------------------


def _minutes_draft_ensure(meeting: Meeting, by: User | None) -> MinutesVersion:
    """The minutes of a meeting with results start as version 1, a draft that follows the record."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = _history_user(Minutes(meeting=meeting), by)
        minutes.save()
    current = minutes.versions.order_by("-number").first()
    if current is None:
        current = _history_user(MinutesVersion(minutes=minutes, number=1, created_by=by), by)
        current.save()
    return current


def minutes_current(meeting: Meeting) -> MinutesVersion | None:
    return (
        MinutesVersion.objects.filter(minutes__meeting=meeting)
        .select_related("document", "minutes")
        .order_by("-number")
        .first()
    )


def minutes_finalise(*, meeting: Meeting, by: User | None, issue_pdf: bool = True) -> MinutesVersion:
    """Make the current draft final: its content is frozen; the number and PDF follow after the commit.

    The PDF is issued by ``minutes_pdf_issue`` once the transaction commits (``on_commit``); a failure
    there is recorded on the version and never undoes the finalisation. With ``issue_pdf=False`` (the
    demo) the PDF is made on the first download instead.
    """
    from .content import meeting_facts, minutes_content

    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("bloc__council", "host_unit")
            .get(pk=meeting.pk)
        )
        if not meeting.is_held:
            raise ValidationError(_("Record the meeting's results before finalising its minutes."))
        version = minutes_current(meeting)
        if version is None or not version.is_draft:
            raise ValidationError(_("There is no draft of the minutes to finalise."))
        version = MinutesVersion.objects.select_for_update().get(pk=version.pk)
        version.content = minutes_content(meeting_facts(meeting)).as_dict()
        version.state = MinutesVersion.State.FINAL
        version.finalised_at = timezone.now()
        version.finalised_by = by
        _history_user(version, by).save()
        if issue_pdf:
            version_pk, by_pk = version.pk, getattr(by, "pk", None)
            transaction.on_commit(lambda: _issue_after_commit(version_pk, by_pk), robust=True)
    return version


def _issue_after_commit(version_pk: int, by_pk: int | None) -> None:
    version = MinutesVersion.objects.select_related("minutes__meeting__bloc__council").get(pk=version_pk)
    by = User.objects.filter(pk=by_pk).first() if by_pk else None
    try:
        minutes_pdf_issue(version=version, by=by)
    except MinutesPdfUnavailable:
        pass  # recorded on the version and logged; the meeting page offers to make the PDF again


def minutes_pdf_issue(*, version: MinutesVersion, by: User | None) -> IssuedDocument:
    """Number, render and keep the PDF of a final version (once); returns the issued document.

    Called after finalisation commits, again after a failure, and lazily by the first download (the
    demo's final minutes have no PDF until someone opens them), through ``document_issue_once``: the
    number is taken only if the render succeeds; the version is claimed first so two requests never take
    two numbers. The number counts in the register of the calendar year of the meeting's date, the date
    the minutes carry. Call it outside a transaction, so the claim is visible to other requests at once.
    """
    from .printing import minutes_pdf_render

    if version.document_id:
        return version.document
    if not version.is_final:
        raise ValidationError(_("Only final minutes have a numbered PDF."))
    from .content import MinutesContent

    content = MinutesContent.from_dict(version.content)
    meeting = version.minutes.meeting
    bloc = meeting.bloc

    def spec() -> DocumentSpec:
        return DocumentSpec(
            issuer=issuer_key("bloc", bloc.pk),
            issuer_code=bloc.code,
            doc_type=DOC_TYPE,
            year=content.date.year,
            title=_register_title(meeting, version),
            subject_key=version.subject_key,
            render=lambda number_text: minutes_pdf_render(content=content, number_text=number_text, draft=False),
        )

    return document_issue_once(holder=version, spec=spec, by=by, unavailable=MinutesPdfUnavailable)


def _register_title(meeting: Meeting, version: MinutesVersion) -> str:
    title = f"Biên bản {meeting.display_title} của {meeting.bloc.name}"
    if version.number > 1:
        title += f" (bản sửa đổi lần {version.number - 1})"
    return title[:255]


def minutes_correction_start(*, meeting: Meeting, reason: str, by: User | None) -> MinutesVersion:
    """Start a correction of final minutes: a new draft version with its reason. The record can then be
    changed and the new version finalised with its own number; earlier versions stay downloadable."""
    reason = nfc_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the minutes are corrected.")]})
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one correction at a time
        current = minutes_current(meeting)
        if current is None or not current.is_final:
            raise ValidationError(_("Only final minutes can be corrected; the current version is still a draft."))
        version = MinutesVersion(minutes=current.minutes, number=current.number + 1, reason=reason, created_by=by)
        try:
            with transaction.atomic():
                _history_user(version, by).save()
        except IntegrityError as error:
            raise ValidationError(_("A correction of these minutes was started meanwhile.")) from error
    return version


def minutes_scan_upload(*, version: MinutesVersion, file: UploadedFile, by: User | None) -> MinutesScan:
    """Keep a scan of the signed paper minutes of a final version (``documents.uploads.scan_store``: kind
    by content, size limited, checksummed). It becomes the current scan; earlier ones stay."""
    if not version.is_final:
        raise ValidationError({"file": [_("Upload the signed scan once the minutes are final.")]})
    return scan_store(scan=MinutesScan(version=version), file=file, by=by)


# Keys of the results form (used by the view to put each error next to its field).
ROW_KEY = re.compile(r"^(?P<prefix>attendance|votes|awards|guests)-(?P<index>\d+)-(?P<field>\w+)$")
