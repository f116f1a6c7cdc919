"""Generated meetings (``manage.py generate_dataset``): a year-end conference per bloc-year, written in
bulk with their history rows. Only this app's tables are written; the proposals, pledges and seat writes
it links to are read from the database and the plan (``blocs.dataset``).

Past years' conferences are held: guests, every member's attendance (now and then one absent), the votes
on the bloc-year's proposals with their counts, the bloc's own awards, the election of next year's seats
(by acclamation or secret ballot), the chair's handover, next year's pledge signed there, and final
minutes whose content is made by ``meetings.content`` from the same facts. This year's conference is
scheduled: its results are still to be recorded.
"""

from __future__ import annotations

from datetime import time

from django.urls import reverse

from blocs.dataset import BenchActors, BenchDocument, BenchPage, Dataset, bulk_with_history, nfc, person_name
from blocs.models import Bloc, Unit

from .content import (
    AttendanceFact,
    BlocAwardFact,
    ElectionFact,
    HandoverFact,
    MeetingFacts,
    PledgeFact,
    VoteFact,
    meeting_row_facts,
    minutes_content,
    proposal_snapshot,
)
from .models import (
    AttendanceState,
    Meeting,
    MeetingAttendance,
    MeetingBlocAward,
    MeetingElectedSeat,
    MeetingElection,
    MeetingGuest,
    MeetingHandover,
    MeetingPledgeSigning,
    MeetingProposalVote,
    Minutes,
    MinutesVersion,
)

GUESTS = [
    ("", "Đại diện lãnh đạo", "Ban Thi đua – Khen thưởng"),
    ("", "Đại diện lãnh đạo", "Hội đồng Thi đua – Khen thưởng"),
]


def dataset_generate(*, dataset: Dataset) -> None:
    rng = dataset.rng("meetings")
    meetings, plans = [], []
    for bloc, year, members in dataset.bloc_years():
        meeting = _meeting(dataset, rng, bloc, year)
        meetings.append(meeting)
        plans.append((bloc, year, members))
    meetings = bulk_with_history(dataset, Meeting, meetings)
    linked = _linked_records(dataset)
    facts = {}
    rows: dict[type, list] = {model: [] for model in (MeetingGuest, MeetingAttendance, MeetingProposalVote)}
    rows |= {model: [] for model in (MeetingBlocAward, MeetingHandover, MeetingPledgeSigning)}
    elections = []
    for meeting, (_bloc, _year, members) in zip(meetings, plans, strict=True):
        if not meeting.is_held:
            continue
        facts[meeting.pk] = _record(dataset, rng, meeting, members, linked, rows, elections)
    for model, objs in rows.items():
        bulk_with_history(dataset, model, objs)
    elections_create(dataset, rng, elections, facts)
    minutes_create(dataset, [m for m in meetings if m.is_held], facts)


def _meeting(dataset: Dataset, rng, bloc: Bloc, year: int) -> Meeting:
    host = dataset.seats[bloc.pk, year][0]
    held = year < dataset.last_year
    day = dataset.conference_date(bloc, year)
    return Meeting(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=year,
        date=day,
        start_time=time(8, 0),
        end_time=time(11, 30),
        place=nfc(f"Hội trường {host.name}"),
        host_unit=host,
        presiding_name=host.head_name,
        presiding_title=nfc(f"{host.head_title} {host.name}, {bloc.chair_word}"),
        secretary_name=person_name(rng),
        secretary_title=nfc(f"Chuyên viên {host.name}"),
        agenda=nfc(
            f"Tổng kết công tác thi đua, khen thưởng năm {year}; bình xét khen thưởng; bầu Khối trưởng năm {year + 1}."
        ),
        report_summary=nfc(f"Các đơn vị thành viên hoàn thành tốt nhiệm vụ năm {year}.") if held else "",
        directions=nfc(f"Tiếp tục đẩy mạnh phong trào thi đua năm {year + 1}.") if held else "",
        movement_launched=held,
        movement_text=nfc(f"Phát động phong trào thi đua năm {year + 1}.") if held else "",
        attendance_state=AttendanceState.LIST if held else AttendanceState.NOT_RECORDED,
        status=Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
        results_recorded_at=dataset.aware(day, 15) if held else None,
        results_recorded_by=dataset.officers[bloc.council_id] if held else None,
        created_by=dataset.officers[bloc.council_id],
        created_at=dataset.aware(day.replace(day=1)),
    )


def _linked_records(dataset: Dataset) -> dict:
    """The other apps' records the conferences decided: proposals by bloc-year, final pledges by bloc-year."""
    from awards.models import Proposal
    from pledges.models import PledgeVersion

    blocs = [bloc.pk for bloc in dataset.blocs]
    proposals: dict[tuple[int, int], list] = {}
    query = Proposal.objects.filter(bloc_id__in=blocs).select_related("award_type", "unit", "person")
    for proposal in query.order_by("bloc_id", "year", "award_type__order", "id"):
        proposals.setdefault((proposal.bloc_id, proposal.year), []).append(proposal)
    pledges = {}
    finals = PledgeVersion.objects.filter(pledge__bloc_id__in=blocs, state=PledgeVersion.State.FINAL, number=1)
    for version in finals.select_related("pledge"):
        pledges[version.pledge.bloc_id, version.pledge.year] = version
    return {"proposals": proposals, "pledges": pledges}


def _record(dataset: Dataset, rng, meeting: Meeting, members: list[Unit], linked: dict, rows: dict, elections: list):
    """The rows of a held conference; returns its facts (the minutes are made from them)."""
    bloc, year = meeting.bloc, meeting.year
    rows[MeetingGuest] += [
        MeetingGuest(meeting=meeting, order=i, name=n, position=p, organisation=nfc(f"{o} {bloc.council.place_name}"))
        for i, (n, p, o) in enumerate(GUESTS)
    ]
    absent = members[rng.randrange(len(members))].pk if rng.random() < 0.3 else None
    attendance = [
        MeetingAttendance(
            meeting=meeting,
            unit=unit,
            present=unit.pk != absent,
            representatives=nfc(f"{unit.head_name}, {unit.head_title}"),
        )
        for unit in members
    ]
    rows[MeetingAttendance] += attendance
    votes, awards = [], []
    for order, proposal in enumerate(linked["proposals"].get((bloc.pk, year), [])):
        if proposal.award_type.is_bloc_issued:
            snapshot = proposal_snapshot(proposal, order)
            awards.append(
                MeetingBlocAward(
                    meeting=meeting, proposal=proposal, **snapshot, individual=proposal.person_id is not None
                )
            )
            continue
        votes.append(
            MeetingProposalVote(meeting=meeting, proposal=proposal, **proposal_snapshot(proposal, order, tally=True))
        )
    rows[MeetingProposalVote] += votes
    rows[MeetingBlocAward] += awards
    facts = _facts(dataset, meeting, attendance, votes, awards)
    _next_year(dataset, rng, meeting, linked, rows, elections, facts)
    return facts


def _next_year(dataset: Dataset, rng, meeting: Meeting, linked: dict, rows: dict, elections: list, facts) -> None:
    """Next year's seats elected, the chair handed over and next year's pledge signed, when there are."""
    bloc, year = meeting.bloc, meeting.year
    if (bloc.pk, year + 1) not in dataset.seats:
        return
    seats = dataset.seats[bloc.pk, year + 1]
    secret = rng.random() < 0.3
    ballots = len(facts.present) if secret else None
    elections.append((meeting, seats, ballots))
    votes = [ballots - rng.randint(0, 1) if secret else None for _ in seats]
    facts.election = ElectionFact(
        year=year + 1,
        chair_name=seats[0].name,
        vice_names=[unit.name for unit in seats[1:]],
        method=MeetingElection.Method.SECRET_BALLOT if secret else MeetingElection.Method.ACCLAMATION,
        ballots=ballots,
        votes=votes,
    )
    outgoing = dataset.seats[bloc.pk, year][0]
    if outgoing.pk != seats[0].pk:
        flag = rng.random() < 0.5
        rows[MeetingHandover].append(
            MeetingHandover(meeting=meeting, outgoing_unit=outgoing, incoming_unit=seats[0], flag_handed=flag)
        )
        facts.handover = HandoverFact(outgoing_name=outgoing.name, incoming_name=seats[0].name, flag_handed=flag)
    version = linked["pledges"].get((bloc.pk, year + 1))
    if version is not None and version.signing_date == meeting.date:
        total = len(dataset.members[bloc.pk, year + 1])
        rows[MeetingPledgeSigning].append(
            MeetingPledgeSigning(
                meeting=meeting,
                version=version,
                pledge_year=year + 1,
                signed_on=meeting.date,
                units_signed=total,
                units_total=total,
            )
        )
        facts.pledge = PledgeFact(year=year + 1, signed_on=meeting.date, units_signed=total, units_total=total)


def _facts(dataset: Dataset, meeting: Meeting, attendance, votes, awards) -> MeetingFacts:
    council_place = meeting.bloc.council.place_name
    return MeetingFacts(
        **meeting_row_facts(meeting),
        guests=[(n, p, nfc(f"{o} {council_place}")) for n, p, o in GUESTS],
        members=[AttendanceFact(a.unit.name, a.present, a.representatives) for a in attendance],
        votes=[
            VoteFact(
                v.award_type_name,
                v.recipient_name,
                v.recipient_detail,
                v.members_present,
                v.ballots_cast,
                v.votes_for,
                v.acclamation,
            )
            for v in votes
        ],
        bloc_awards=[
            BlocAwardFact(a.award_type_name, a.individual, a.recipient_name, a.recipient_detail) for a in awards
        ],
        election=None,
        handover=None,
        pledge=None,
    )  # fmt: skip


def elections_create(dataset: Dataset, rng, elections: list, facts: dict) -> None:
    rows = [
        MeetingElection(
            meeting=meeting,
            year=meeting.year + 1,
            seat_write=dataset.seat_writes[meeting.bloc.pk, meeting.year + 1],
            method=facts[meeting.pk].election.method,
            ballots=ballots,
        )
        for meeting, _seats, ballots in elections
    ]
    rows = bulk_with_history(dataset, MeetingElection, rows)
    seats = [
        MeetingElectedSeat(
            election=election,
            rank=rank,
            unit=unit,
            unit_name=unit.name,
            votes=facts[meeting.pk].election.votes[rank],
            ballots=ballots,
        )
        for election, (meeting, units, ballots) in zip(rows, elections, strict=True)
        for rank, unit in enumerate(units)
    ]
    bulk_with_history(dataset, MeetingElectedSeat, seats)


def minutes_create(dataset: Dataset, meetings: list[Meeting], facts: dict) -> None:
    """Final minutes of every held conference, their content made from the facts recorded."""
    minutes = bulk_with_history(
        dataset, Minutes, [Minutes(meeting=m, created_at=m.results_recorded_at) for m in meetings]
    )
    versions = [
        MinutesVersion(
            minutes=row,
            number=1,
            state=MinutesVersion.State.FINAL,
            content=minutes_content(facts[meeting.pk]).as_dict(),
            created_by=meeting.results_recorded_by,
            created_at=meeting.results_recorded_at,
            finalised_by=meeting.results_recorded_by,
            finalised_at=meeting.results_recorded_at,
        )
        for row, meeting in zip(minutes, meetings, strict=True)
    ]
    bulk_with_history(dataset, MinutesVersion, versions)


# ═══ Bench ═════════════════════════════════════════════════════════════════════════════════════════════


def bench_pages(*, actors: BenchActors) -> list[BenchPage]:
    meetings = Meeting.objects.filter(bloc=actors.bloc, kind=Meeting.Kind.YEAR_END)
    held = meetings.filter(year=actors.year - 1).first()
    scheduled = meetings.filter(year=actors.year).first()
    pages = [
        BenchPage("meetings overview", reverse("meetings:overview"), ("officer",)),
        BenchPage("bloc meetings list", reverse("meetings:bloc_meetings", args=[actors.bloc.pk])),
    ]
    if held:
        pages.append(BenchPage("meeting detail (held)", reverse("meetings:meeting_detail", args=[held.pk])))
    if scheduled:
        pages.append(
            BenchPage("results form", reverse("meetings:meeting_results", args=[scheduled.pk]), ("officer", "chair"))
        )
    return pages


def bench_documents(*, actors: BenchActors) -> list[BenchDocument]:
    """The final minutes of the bench bloc's conference of last year, from their frozen content, as PDF and
    as Word."""
    version = (
        MinutesVersion.objects.filter(
            minutes__meeting__bloc=actors.bloc, minutes__meeting__year=actors.year - 1, state="final"
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        return []
    content = version.content

    def render() -> bytes:
        from .content import minutes_content_load
        from .printing import minutes_pdf_render

        return minutes_pdf_render(content=minutes_content_load(content), number_text="01/BB-BENCH", draft=False)

    def render_word() -> bytes:
        from .content import minutes_content_load
        from .printing import minutes_docx

        return minutes_docx(content=minutes_content_load(content), number_text="01/BB-BENCH", draft=False)

    members = actors.bloc.memberships.covering(actors.year - 1).count()
    return [
        BenchDocument(f"minutes PDF ({members} members)", render),
        BenchDocument(f"minutes Word ({members} members)", render_word),
    ]
