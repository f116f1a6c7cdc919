"""Reads of the meetings pages (docs/architecture.md, selectors): the results page's initial data, and what a save would
change in seats already recorded.

The results page starts from what is recorded (a suggestion is never a fact): the
election shows next year's recorded seats, or nothing; the handover is never pre-ticked; attendance shows
what was recorded, or no one ticked. The rotation suggestion is returned beside, for the page to offer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from awards.models import AwardType, Proposal
from awards.selectors import decided_proposals
from blocs import access
from blocs.access import AnyUser
from blocs.models import Bloc, Seat, Unit
from blocs.services import SeatSuggestion, seats_suggest
from blocs.text import fold, search_words
from pledges.scoring.models import Ranking, RankingEntry

from .forms import VICE_SEATS
from .models import Meeting, MeetingElection, MeetingHandover, MeetingPledgeSigning, default_title


@dataclass
class ResultsInitial:
    """What the results page shows before anything is typed."""

    main: dict[str, Any]
    attendance: list[dict[str, Any]]
    votes: list[dict[str, Any]]
    awards: list[dict[str, Any]]
    suggestion: SeatSuggestion
    # Rows offered from the bloc-year's drafted proposals are not recorded yet: saved as shown, they count
    # as entered even if nobody edits them.
    votes_recorded: bool = False
    awards_recorded: bool = False
    seats: list[Seat] = field(default_factory=list)  # next year's recorded seats, in rank order
    members: list[Unit] = field(default_factory=list)  # the member units of the year reviewed, protocol order
    ranks: RankColumn | None = None  # the members' ranks in the final ranking of the year reviewed


# The meeting's one-to-one records the results page shows: read with the meeting (``select_related``)
# instead of one query each.
RESULTS_RELATED = ("election", "handover", "pledge_signing")


def _one_to_one(meeting: Meeting, name: str) -> Any:
    """The meeting's one-to-one record ``name`` (read with it, if it was selected), or None."""
    try:
        return getattr(meeting, name)
    except ObjectDoesNotExist:
        return None


def _recipient(proposal: Proposal) -> dict[str, Any]:
    return {
        "award_type": proposal.award_type_id,
        "unit": proposal.unit_id,
        "collective_name": proposal.collective_name,
        "person_name": proposal.person.name if proposal.person_id else "",
        "person_position": proposal.person.position if proposal.person_id else "",
    }


def _tally(source: object) -> dict[str, Any]:
    return {name: getattr(source, name) for name in ("members_present", "ballots_cast", "votes_for", "acclamation")}


def _awards_initial(
    meeting: Meeting,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool, bool]:
    """The vote rows and the bloc's own award rows as recorded, or (first recording) the bloc-year's
    proposals drafted so far, so the chair only adds the tallies; and whether each was recorded."""
    recorded_votes = list(meeting.votes.select_related("proposal__person").order_by("order", "id"))
    recorded_awards = list(meeting.bloc_awards.select_related("proposal__person").order_by("order", "id"))
    drafted: list[Proposal] = []
    if not meeting.is_held and not (recorded_votes and recorded_awards):
        # One read of the bloc-year's proposals serves both lists: voted ones and the bloc's own awards.
        drafted = list(
            Proposal.objects.filter(bloc=meeting.bloc, year=meeting.year)
            .counting()
            .select_related("person", "award_type")
            .order_by("award_type__order", "id")
        )
    bloc_issued = AwardType.Authority.BLOC
    if recorded_votes:
        votes = [{**_recipient(v.proposal), **_tally(v)} for v in recorded_votes]
    else:
        votes = [{**_recipient(p), **_tally(p)} for p in drafted if p.award_type.authority != bloc_issued]
    if recorded_awards:
        awards = [_recipient(a.proposal) for a in recorded_awards]
    else:
        awards = [_recipient(p) for p in drafted if p.award_type.authority == bloc_issued]
    return votes, awards, bool(recorded_votes), bool(recorded_awards)


def _election_initial(meeting: Meeting, next_year: int) -> tuple[dict[str, Any], list[Seat]]:
    """The election's fields: next year's seats as recorded (by this conference or anyone else), else
    nothing; how it was elected and its counts as this conference recorded them."""
    main: dict[str, Any] = {}
    seats = list(Seat.objects.filter(bloc=meeting.bloc, year=next_year).order_by("rank").select_related("unit"))
    access.seats_read(meeting.bloc, next_year, seats)  # the access rules need not read them again
    field_of = {}  # unit → the field that shows it
    for seat in seats:
        if seat.rank <= VICE_SEATS:
            name = "election_chair" if seat.rank == 0 else f"election_vice_{seat.rank}"
            main[name] = seat.unit_id
            field_of[seat.unit_id] = name
    election: MeetingElection | None = _one_to_one(meeting, "election")
    if election is not None:
        main["election_method"] = election.method
        main["election_ballots"] = election.ballots
        # Each seat's votes beside the field that shows its unit (the seats may since have been rewritten).
        for seat in election.seats.all():
            if seat.votes is not None and seat.unit_id in field_of:
                main[f"{field_of[seat.unit_id]}_votes"] = seat.votes
    return main, seats


def results_initial(*, meeting: Meeting, next_year: int) -> ResultsInitial:
    """The record of ``meeting`` as the results page's initial values, and the rotation suggestion of
    ``next_year`` to show beside the election."""
    bloc = meeting.bloc
    recorded_attendance = {row.unit_id: row for row in meeting.attendance.all()}
    # The members' lines of the year's ranking come with them (no query of their own).
    state, rank, not_ranked = _rank_annotations(meeting, "unit_id")
    memberships = list(
        bloc.members(meeting.year).annotate(ranking_state=state, ranking_rank=rank, ranking_not_ranked=not_ranked)
    )
    attendance = [
        {
            "unit": m.unit_id,
            "unit_name": m.unit.name,
            # Nobody is ticked present unless it was recorded (no "all present" nobody said).
            "present": recorded_attendance[m.unit_id].present if m.unit_id in recorded_attendance else False,
            "representatives": (
                recorded_attendance[m.unit_id].representatives if m.unit_id in recorded_attendance else ""
            ),
        }
        for m in memberships
    ]

    votes, awards, votes_recorded, awards_recorded = _awards_initial(meeting)
    main = {
        "report_summary": meeting.report_summary,
        "directions": meeting.directions,
        "movement_launched": meeting.movement_launched,
        "movement_text": meeting.movement_text,
        "pledge_year": next_year,
        "attendance_state": meeting.attendance_state,
        "all_units_completed": meeting.all_units_completed,
    }
    election, seats = _election_initial(meeting, next_year)
    main.update(election)
    handover: MeetingHandover | None = _one_to_one(meeting, "handover")
    if handover is not None:
        main.update(
            handover_recorded=True,
            handover_outgoing=handover.outgoing_unit_id,
            handover_incoming=handover.incoming_unit_id,
            handover_flag=handover.flag_handed,
            flag_received_by=handover.flag_received_by,
        )
    signing: MeetingPledgeSigning | None = _one_to_one(meeting, "pledge_signing")
    if signing is not None:
        main.update(pledge_signed=True, pledge_year=signing.pledge_year)
    return ResultsInitial(
        main=main,
        attendance=attendance,
        votes=votes,
        awards=awards,
        suggestion=seats_suggest(bloc=bloc, year=next_year),
        votes_recorded=votes_recorded,
        awards_recorded=awards_recorded,
        seats=seats,
        members=[m.unit for m in memberships],
        ranks=_members_rank_column(meeting, memberships),
    )


@dataclass(frozen=True)
class SeatChange:
    """One seat a save would change: "Khối phó thứ nhất 2022: Hội Đông y → MTTQ"."""

    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} → {self.after}"


@dataclass
class RankColumn:
    """The "Xếp hạng" beside the votes: each member unit's rank in the final ranking of the year reviewed.

    Only a final ranking is shown; without one (none, or reopened) the column says nothing and the page
    says why. ``cells`` by unit id: the rank, or "not ranked" with the reason as its title.
    """

    year: int
    bloc_name: str
    state: str = "none"
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return self.state == "final"

    def of(self, unit_id: Any, *, collective_name: Any = "", person: Any = "") -> tuple[str, str]:
        """The cell of a row: the unit's rank when the row is for the unit itself (a person or a collective
        inside the unit is not what the ranking ranks), else nothing."""
        if collective_name or person:
            return ("", "")
        try:
            return self.cells.get(int(unit_id), ("", ""))
        except (TypeError, ValueError):
            return ("", "")

    def for_page(self) -> str:
        """The cells by unit id as JSON, for the page's script that follows the unit chosen in a row."""
        return json.dumps({str(unit_id): list(cell) for unit_id, cell in self.cells.items()}, ensure_ascii=False)


def _rank_annotations(meeting: Meeting, unit: str) -> tuple[Subquery, Subquery, Subquery]:
    """Columns to read with rows naming a unit (``unit``, the path to its id): the state of the ranking of
    the year ``meeting`` reviews, and the unit's rank or why it is not ranked."""
    line = RankingEntry.objects.filter(
        ranking__bloc_id=meeting.bloc_id, ranking__year=meeting.year, unit_id=OuterRef(unit)
    )
    return (
        Subquery(Ranking.objects.filter(bloc_id=meeting.bloc_id, year=meeting.year).values("state")[:1]),
        Subquery(line.values("rank")[:1]),
        Subquery(line.values("not_ranked")[:1]),
    )


def _cell(rank: int | None, not_ranked: str | None) -> tuple[str, str]:
    """A rank cell: the rank, or "not ranked" with the reason as its title; nothing for a unit without a line."""
    if rank is not None:
        return (str(rank), "")
    if not_ranked:
        return (_("not ranked in the final ranking"), str(RankingEntry.NotRanked(not_ranked).label))
    return ("", "")


def _members_rank_column(meeting: Meeting, memberships: list[Any]) -> RankColumn:
    state = next((m.ranking_state for m in memberships if m.ranking_state), "none")
    column = RankColumn(year=meeting.year, bloc_name=meeting.bloc.name, state=state)
    if column.is_final:
        for m in memberships:
            cell = _cell(m.ranking_rank, m.ranking_not_ranked)
            if cell[0]:
                column.cells[m.unit_id] = cell
    return column


def recorded_vote_ranks(*, meeting: Meeting) -> tuple[RankColumn, list[tuple[str, str]]]:
    """The rank cell of each recorded vote of ``meeting``, in the minutes' order, and the column's state:
    one query (the ranking's state and each vote's unit's line are read with the votes)."""
    state, rank, not_ranked = _rank_annotations(meeting, "proposal__unit_id")
    rows = list(
        meeting.votes.order_by("order", "id")
        .annotate(ranking_state=state, ranking_rank=rank, ranking_not_ranked=not_ranked)
        .values_list(
            "proposal__collective_name", "proposal__person_id", "ranking_state", "ranking_rank", "ranking_not_ranked"
        )
    )
    column = RankColumn(
        year=meeting.year, bloc_name=meeting.bloc.name, state=next((row[2] for row in rows if row[2]), "none")
    )
    cells = [
        _cell(line_rank, reason) if column.is_final and not (collective_name or person_id) else ("", "")
        for collective_name, person_id, _state, line_rank, reason in rows
    ]
    return column, cells


def seat_changes(*, bloc: Bloc, year: int, wanted: list[Unit]) -> list[SeatChange]:
    """The recorded seats of ``year`` that ``wanted`` (chair first, then the ordered vice-chairs) would
    change, in the bloc's own seat words. Empty when nothing is recorded yet or nothing changes."""
    recorded = [seat.unit for seat in Seat.objects.filter(bloc=bloc, year=year).order_by("rank").select_related("unit")]
    if not recorded or [u.pk for u in recorded] == [u.pk for u in wanted]:
        return []
    vice_count = max(len(recorded), len(wanted)) - 1
    changes = []
    for rank in range(max(len(recorded), len(wanted))):
        before = recorded[rank] if rank < len(recorded) else None
        after = wanted[rank] if rank < len(wanted) else None
        if getattr(before, "pk", None) != getattr(after, "pk", None):
            changes.append(
                SeatChange(
                    label=f"{bloc.seat_label(rank, vice_count)} {year}",
                    before=before.display_name if before else "—",
                    after=after.display_name if after else "—",
                )
            )
    return changes


def seat_changes_token(*, year: int, changes: list[SeatChange], wanted: list[Unit]) -> str:
    """What the confirm step sends back: it names the change confirmed, so a confirmation given for one
    change never confirms another (the seats changed meanwhile, or other units chosen)."""
    text = f"{year}:" + ",".join(str(u.pk) for u in wanted) + ":" + "|".join(str(c) for c in changes)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def awards_to_hand_over(*, meeting: Meeting) -> QuerySet[Proposal]:
    """The decided awards a conference may say it handed over: the council's decided awards of the units
    that are members of the bloc in the year reviewed, and any already recorded as handed over there —
    not those this conference decided or voted itself (the minutes list them as its own outcomes).
    Read through ``awards.selectors`` (awards are only read here), newest year first."""
    members = meeting.bloc.members(meeting.year).values("unit_id")
    linked = meeting.awards_handed_over.values("proposal_id")
    own = Q(pk__in=meeting.bloc_awards.values("proposal_id")) | Q(pk__in=meeting.votes.values("proposal_id"))
    return (
        decided_proposals()
        .filter(Q(council_id=meeting.bloc.council_id) & (Q(unit_id__in=members) | Q(pk__in=linked)))
        .exclude(own)
    )


def awards_handed_over(*, meeting: Meeting) -> list[int]:
    """The proposals recorded as handed over at ``meeting``, in their order."""
    return list(meeting.awards_handed_over.order_by("order", "id").values_list("proposal_id", flat=True))


def meetings_found(*, user: AnyUser, text: str) -> list[int]:
    """The ids of the meetings, newest first, whose title (the one set, or the usual title of the kind and
    year that pages print, "Hội nghị tổng kết … năm 2021"), bloc (name, code), host unit (names,
    abbreviations, code) or year has every word of ``text`` (case and diacritics ignored), among the
    bloc-years ``user`` reads (``access.readable_bloc_years_q``; a meeting's page is theirs).

    A meeting's title has no folded column, and most meetings print the usual title, which is not stored:
    the words are matched here, in Python, on one query's plain values (as the accounts list searches
    users). The search page fetches only the meetings it shows (``meetings_by_ids``).
    """
    words = search_words(text)
    rows = (
        Meeting.objects.filter(access.readable_bloc_years_q(user))
        .order_by("-date", "-start_time", "-id")
        .values_list("pk", "title", "kind", "year", "bloc__search_text", "host_unit__search_text")
    )
    usual: dict[tuple[str, int], str] = {}
    found = []
    for pk, title, kind, year, bloc_text, host_text in rows:
        if not title and (kind, year) not in usual:
            usual[(kind, year)] = fold(default_title(kind, year))
        words_of_row = f"{fold(title) if title else usual[(kind, year)]} {bloc_text} {host_text or ''} {year}"
        if all(word in words_of_row for word in words):
            found.append(pk)
    return found


def meetings_by_ids(ids: list[int]) -> list[Meeting]:
    """The meetings ``ids`` in that order, with their bloc (one query)."""
    meetings = Meeting.objects.select_related("bloc").in_bulk(ids)
    return [meetings[pk] for pk in ids if pk in meetings]


def meetings_dated(*, user: AnyUser, start: date, end: date) -> list[Meeting]:
    """The meetings held from ``start`` to ``end`` (both included) whose page ``user`` may open (the rule of
    ``meeting_detail``, ``access.can_read_bloc_year``), by date and time, each with its bloc: the calendar's
    conferences. A fixed number of queries whatever the number of meetings (``access.readable_bloc_year_rows``)."""
    rows = Meeting.objects.filter(date__gte=start, date__lte=end).order_by("date", "start_time", "pk")
    return access.readable_bloc_year_rows(user, rows)
