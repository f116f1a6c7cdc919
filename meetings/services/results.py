"""Recording what a conference did, on one page, in ONE transaction: ``meeting_record_results``.

It wraps the services of the apps that own each outcome — ``awards`` (proposals voted on, the bloc's own
awards: ``results_awards``), ``blocs`` (the seats elected) and ``pledges`` (the pledge signed at the meeting).
This app never writes their tables; it keeps link rows with a snapshot of what the conference decided.
Any error anywhere raises one ``ValidationError`` whose keys are the names of the results form's fields
(``votes-2-votes_for``, ``election_chair`` …), so the page shows each error next to its field, and the
whole transaction rolls back: nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocs.history import with_history_user
from blocs.models import Seat, SeatWrite, Unit, User
from blocs.services import seats_set
from blocs.text import nfc_line
from pledges import services as pledges_services
from pledges.models import Pledge, PledgeVersion

from ..models import (
    AttendanceState,
    Meeting,
    MeetingAttendance,
    MeetingElectedSeat,
    MeetingElection,
    MeetingHandover,
    MeetingPledgeSigning,
)
from ._shared import _Errors, _fixed, _keyed, _members_of, _require_minutes_open
from .minutes import _minutes_draft_ensure
from .results_awards import BlocAwardEntry, VoteEntry, _bloc_awards_record, _votes_record


@dataclass(frozen=True)
class AttendanceEntry:
    """A member unit at the meeting: present or not, and its representatives."""

    unit: Unit
    present: bool = True
    representatives: str = ""


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
    handover, pledge_signing, movement) was not touched on the page and stays as recorded (sections of
    a form the user did not touch are not written). To say "no election" or "no handover"
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
            with_history_user(meeting, by).save()

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


def _attendance_record(
    meeting: Meeting, attendance: Sequence[AttendanceEntry], state: str, errors: _Errors, by: User | None
) -> set[int] | None:
    """Who came, one row per member unit; returns the ids of the units present, or None when attendance
    is not recorded (then no rows are kept: nobody is said to be present or absent)."""
    if attendance is None:  # not touched on the page: the units recorded present
        return set(meeting.attendance.filter(present=True).values_list("unit_id", flat=True))
    members = _members_of(meeting.bloc, meeting.year)
    if state == AttendanceState.NOT_RECORDED:
        with errors.step(_fixed("attendance")):
            _attendance_delete(list(meeting.attendance.all()), by)
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
        # The plan first, then one write per kind: recording a conference costs the same queries whatever the
        # number of members, and the history still gets a row per change.
        current = {row.unit_id: row for row in meeting.attendance.all()}
        created, changed = [], []
        for entry in attendance:
            representatives = nfc_line(entry.representatives)
            row = current.pop(entry.unit.pk, None)
            if row is None:
                row = MeetingAttendance(meeting=meeting, unit=entry.unit)
                created.append(row)
            elif row.present == entry.present and row.representatives == representatives:
                continue
            else:
                changed.append(row)
            row.present = entry.present
            row.representatives = representatives
            row.full_clean(exclude=["meeting", "unit"])
        if created:
            bulk_create_with_history(created, MeetingAttendance, default_user=by)
        if changed:
            bulk_update_with_history(changed, MeetingAttendance, ["present", "representatives"], default_user=by)
        _attendance_delete(list(current.values()), by)  # units left out of the form (no longer members)
    return present


def _attendance_delete(rows: list[MeetingAttendance], by: User | None) -> None:
    """Delete ``rows`` in one query, each leaving the "-" history row a one-by-one delete would write:
    a queryset delete sends no signals, so django-simple-history would record nothing."""
    if not rows:
        return
    historical = MeetingAttendance.history.model
    now = timezone.now()
    historical.objects.bulk_create(
        [
            historical(
                **{field.attname: getattr(row, field.attname) for field in historical.tracked_fields},
                history_date=now,
                history_type="-",
                # As a one-by-one delete: the named user, else the request's (simple_history's default).
                history_user=by or historical.get_default_history_user(row),
                history_change_reason="",
            )
            for row in rows
        ]
    )
    MeetingAttendance.objects.filter(pk__in=[row.pk for row in rows]).delete()


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


def _election_record(meeting: Meeting, entry: ElectionEntry | None, errors: _Errors, by: User | None) -> Unit | None:
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
                with_history_user(existing, by).delete()
        return None
    year = entry.year or meeting.year + 1
    if not _election_check(meeting, entry, year, errors):
        return entry.chair
    with errors.step(_keyed({"chair": "election_chair", "vice_chairs": "election_vice_1"}, "election_chair")):
        _election_save(meeting, existing, entry, year, by)
    return entry.chair


def _election_save(
    meeting: Meeting, existing: MeetingElection | None, entry: ElectionEntry, year: int, by: User | None
) -> None:
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
        with_history_user(election, by).save()
    elected = [(unit.pk, entry.votes_of(rank), entry.ballots) for rank, unit in enumerate(holders)]
    recorded = list(existing.seats.order_by("rank").values_list("unit_id", "votes", "ballots")) if existing else None
    if recorded != elected:
        for seat in election.seats.all():
            with_history_user(seat, by).delete()
        for rank, unit in enumerate(holders):
            seat = MeetingElectedSeat(
                election=election,
                rank=rank,
                unit=unit,
                unit_name=unit.name,
                votes=entry.votes_of(rank),
                ballots=entry.ballots,
            )
            with_history_user(seat, by).save()


# The handover ------------------------------------------------------------------------------------------


def _handover_record(
    meeting: Meeting,
    entry: HandoverEntry | None,
    election: ElectionEntry | None,
    elected_chair: Unit | None,
    errors: _Errors,
    by: User | None,
) -> None:
    existing = MeetingHandover.objects.filter(meeting=meeting).first()
    if entry is None:  # not touched on the page: as recorded
        return
    if entry.outgoing is None and entry.incoming is None:
        if existing is not None:
            with errors.step(_fixed("handover_outgoing")):
                with_history_user(existing, by).delete()
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
            with_history_user(handover, by).save()


def _flag_receiver(entry: HandoverEntry) -> str:
    """Who received the flag: kept only where the flag was handed (no receiver of a flag not handed)."""
    return nfc_line(entry.flag_received_by) if entry.flag_handed else ""


# The pledge signed at the meeting (pledges) -----------------------------------------------------------


def _pledge_record(
    meeting: Meeting, entry: PledgeSigningEntry | None, present: set[int] | None, errors: _Errors, by: User | None
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
            with_history_user(signing, by).save()
