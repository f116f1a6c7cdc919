"""Generated awards (``manage.py generate_dataset``): each council's catalogue and rules, deadlines,
registrations, people, and six proposals a bloc-year in every state, with submissions, decisions and the
status events; written in bulk with their history rows. Only this app's tables are written.

Per bloc-year: the provincial flag and two certificates for member units, a certificate for a person
(voted with counts that pass the council's rules), and the bloc's own two awards decided by acclamation
at its year-end conference (``Dataset.conference_date``). Past years are decided (a few rejected) by one
decision a council-year; last year is partly approved; this year is in draft, submitted, returned or
approved.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from django.urls import reverse

from blocs.dataset import BenchActors, BenchDocument, BenchPage, Dataset, bulk_with_history, nfc, person_name
from blocs.models import Bloc, Council, Deadline, Unit
from blocs.text import fold, sort_key
from documents.models import FileJob
from documents.services import issuer_key

from . import services
from .catalogue import (
    BLOC_EXEMPLARY_COLLECTIVE,
    BLOC_EXEMPLARY_INDIVIDUAL,
    EXCELLENT_COLLECTIVE,
    GOVERNMENT_FLAG,
    LEADING_TYPES,
)
from .jobs import award_list_docx_make, award_list_pdf_make
from .models import (
    AwardRule,
    AwardType,
    Decision,
    Person,
    Proposal,
    ProposalEvent,
    Registration,
    Submission,
)

Status = Proposal.Status
CAST = AwardRule.Base.BALLOTS_CAST
POSITIONS = ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên chính", "Phó Giám đốc", "Kế toán trưởng"]


def dataset_generate(*, dataset: Dataset) -> None:
    types = catalogue_create(dataset)
    deadlines_create(dataset)
    registrations_create(dataset, types)
    people = people_create(dataset)
    decisions = decisions_create(dataset)
    plans = proposals_plan(dataset, types, people)
    submissions = submissions_create(dataset, plans)
    proposals_create(dataset, plans, submissions, decisions)


def catalogue_create(dataset: Dataset) -> dict[tuple[int, str], AwardType]:
    """The standard catalogue (the service every new council gets) and the rules, in bulk."""
    types = {}
    for council in dataset.councils:
        if not AwardType.objects.filter(council=council).exists():
            services.award_catalogue_install(council=council)
        for award_type in AwardType.objects.filter(council=council):
            types[council.pk, award_type.code] = award_type
    dataset.count(AwardType, len(types))
    rules = []
    for council in dataset.councils:
        flag_code, cert_code = LEADING_TYPES[council.level]
        flag, cert = types[council.pk, flag_code], types[council.pk, cert_code]
        rules += [
            AwardRule(
                award_type=flag, kind="threshold", threshold_numerator=70, threshold_denominator=100, base=CAST
            ),
            AwardRule(award_type=flag, kind="quota", quota_percent=20),
            AwardRule(
                award_type=cert,
                kind="threshold",
                threshold_numerator=1,
                threshold_denominator=2,
                threshold_strict=True,
                base="members_present",
            ),
            AwardRule(award_type=cert, kind="quota", quota_number=3),
        ]  # fmt: skip
    bulk_with_history(dataset, AwardRule, rules)
    return types


def deadlines_create(dataset: Dataset) -> None:
    rows = [
        Deadline(
            council=council,
            year=year,
            kind=Deadline.Kind.SUBMISSION,
            due_on=date(year + 1, 2, 28),
            note="Theo kế hoạch của Hội đồng.",
        )
        for council in dataset.councils
        for year in dataset.year_range
    ]
    bulk_with_history(dataset, Deadline, rows)


def registrations_create(dataset: Dataset, types: dict) -> None:
    """Every member unit registers for the excellent-collective title each year (a central council's
    units, whose catalogue has no such title, for the Government's flag)."""
    registered = {
        council.pk: GOVERNMENT_FLAG if council.level == Council.Level.CENTRAL else EXCELLENT_COLLECTIVE
        for council in dataset.councils
    }
    rows = [
        Registration(
            bloc=bloc,
            year=year,
            unit=unit,
            award_type=types[bloc.council_id, registered[bloc.council_id]],
            created_by=dataset.unit_users.get(unit.pk),
            created_at=dataset.aware(date(year, 2, 15)),
        )
        for bloc, year, members in dataset.bloc_years()
        for unit in members
    ]
    bulk_with_history(dataset, Registration, rows)


def people_create(dataset: Dataset) -> dict[int, Person]:
    """One person a unit (invented names), the recipient of its individual awards."""
    rng = dataset.rng("people")
    rows = []
    for council in dataset.councils:
        for unit in dataset.units[council.pk]:
            name = person_name(rng)
            person = Person(council=council, unit=unit, name=name, position=rng.choice(POSITIONS))
            person.search_text = fold(name)
            person.sort_name = sort_key(f"{name.rsplit(' ', 1)[-1]} {name}")
            rows.append(person)
    return {person.unit_id: person for person in bulk_with_history(dataset, Person, rows)}


def decisions_create(dataset: Dataset) -> dict[tuple[int, int], Decision]:
    """One decision a council-year for every year but the current one."""
    rows = []
    for council in dataset.councils:
        central = council.level == Council.Level.CENTRAL
        for year in dataset.year_range:
            if year == dataset.last_year:
                continue
            rows.append(
                Decision(
                    council=council,
                    number=f"{100 + year % 100}/QĐ-{'TTg' if central else 'UBND'}",
                    date=date(year + 1, 3, 20),
                    signer=nfc(f"{person_name(dataset.rng(f'signer:{council.name}'))}, Chủ tịch"),
                    created_by=dataset.officers[council.pk],
                    created_at=dataset.aware(date(year + 1, 3, 21)),
                )
            )
    return {(d.council_id, d.date.year - 1): d for d in bulk_with_history(dataset, Decision, rows)}


def _status(rng, year: int, last: int) -> str:
    roll = rng.random()
    if year < last - 1:
        return Status.REJECTED if roll < 0.08 else Status.DECIDED
    if year == last - 1:
        return Status.REJECTED if roll < 0.1 else Status.APPROVED if roll < 0.4 else Status.DECIDED
    for status, share in ((Status.DRAFT, 0.3), (Status.SUBMITTED, 0.6), (Status.RETURNED, 0.75)):
        if roll < share:
            return status
    return Status.APPROVED


def proposals_plan(dataset: Dataset, types: dict, people: dict[int, Person]) -> list[dict]:
    """The proposals of every bloc-year as keyword dictionaries (recipients rotate through the members)."""
    rng = dataset.rng("proposals")
    levels = {council.pk: council.level for council in dataset.councils}
    plans = []
    for bloc, year, members in dataset.bloc_years():
        n = len(members)
        turn = year + dataset.number(bloc)

        def pick(k: int) -> Unit:
            return members[(turn + k) % n]  # noqa: B023 - used inside this iteration only

        flag, cert = (types[bloc.council_id, code] for code in LEADING_TYPES[levels[bloc.council_id]])
        portal = [
            (flag, pick(0), None, 0.7),
            (cert, pick(1), None, 0.5),
            (cert, pick(2), None, 0.5),
            (cert, pick(3), people[pick(3).pk], 0.5),
        ]
        for award_type, unit, person, share in portal:
            present = n - (1 if rng.random() < 0.2 else 0)
            needed = math.floor(share * present) + 1
            votes = max(needed, present - rng.randint(0, 2))
            plan = _plan(bloc, year, award_type, unit, person, _status(rng, year, dataset.last_year))
            plans.append(plan | {"members_present": present, "ballots_cast": present, "votes_for": min(votes, present)})
        held = year < dataset.last_year
        for code, person in ((BLOC_EXEMPLARY_COLLECTIVE, None), (BLOC_EXEMPLARY_INDIVIDUAL, people[pick(5).pk])):
            plan = _plan(bloc, year, types[bloc.council_id, code], pick(4 if person is None else 5), person, "")
            plan["status"] = Status.DECIDED if held else Status.DRAFT
            plan["conference_date"] = dataset.conference_date(bloc, year) if held else None
            plans.append(plan | {"acclamation": True, "members_present": n})
    return plans


def _plan(bloc: Bloc, year: int, award_type: AwardType, unit: Unit, person: Person | None, status: str) -> dict:
    return {
        "council_id": bloc.council_id,
        "bloc": bloc,
        "year": year,
        "award_type": award_type,
        "unit": unit,
        "person": person,
        "status": status,
        "summary": nfc(f"Hoàn thành xuất sắc nhiệm vụ năm {year}; dẫn đầu phong trào thi đua của {bloc.name}."),
        "award_reason": nfc(f"Xếp hạng cao trong {bloc.name} năm {year}"),
    }


def submissions_create(dataset: Dataset, plans: list[dict]) -> dict[tuple[int, int], Submission]:
    """A submission for every bloc-year with a proposal past its draft (bloc-issued awards aside)."""
    keys = sorted(
        {(p["bloc"].pk, p["year"]) for p in plans if p["status"] != Status.DRAFT and not p["award_type"].is_bloc_issued}
    )
    blocs = {bloc.pk: bloc for bloc in dataset.blocs}
    rows = [
        Submission(
            bloc=blocs[bloc_id],
            year=year,
            sequence=1,
            submitted_on=date(year + 1, 2, 10),
            created_by=dataset.unit_users.get(dataset.seats[bloc_id, year][0].pk),
            created_at=dataset.aware(date(year + 1, 2, 10)),
        )
        for bloc_id, year in keys
    ]
    return {(s.bloc_id, s.year): s for s in bulk_with_history(dataset, Submission, rows)}


def proposals_create(dataset: Dataset, plans: list[dict], submissions: dict, decisions: dict) -> None:
    rows = []
    for plan in plans:
        proposal = Proposal(**plan, created_at=dataset.aware(date(plan["year"], 11, 20)))
        proposal.created_by = dataset.unit_users.get(dataset.seats[proposal.bloc.pk, proposal.year][0].pk)
        if proposal.status != Status.DRAFT and not proposal.award_type.is_bloc_issued:
            proposal.submission = submissions[proposal.bloc.pk, proposal.year]
        if proposal.status == Status.DECIDED and not proposal.award_type.is_bloc_issued:
            proposal.decision = decisions[proposal.council_id, proposal.year]
        if proposal.status in (Status.RETURNED, Status.REJECTED):
            proposal.status_reason = "Hồ sơ chưa đủ báo cáo thành tích có xác nhận."
        proposal.keys_compute()  # a bulk write skips save()
        rows.append(proposal)
    events_create(dataset, bulk_with_history(dataset, Proposal, rows))


def events_create(dataset: Dataset, proposals: list[Proposal]) -> None:
    """The status changes that led each proposal to its state, by the chair's user and the officer."""
    paths = {
        Status.DRAFT: [],
        Status.SUBMITTED: [Status.SUBMITTED],
        Status.RETURNED: [Status.SUBMITTED, Status.RETURNED],
        Status.APPROVED: [Status.SUBMITTED, Status.APPROVED],
        Status.REJECTED: [Status.SUBMITTED, Status.REJECTED],
        Status.DECIDED: [Status.SUBMITTED, Status.APPROVED, Status.DECIDED],
    }
    rows = []
    for proposal in proposals:
        officer = dataset.officers[proposal.council_id]
        steps = [Status.DECIDED] if proposal.award_type.is_bloc_issued and proposal.status == Status.DECIDED else []
        steps = steps or paths[proposal.status]
        before, day = Status.DRAFT, date(proposal.year + 1, 2, 10)
        for step in steps:
            rows.append(
                ProposalEvent(
                    proposal=proposal,
                    from_status=before,
                    to_status=step,
                    by=proposal.created_by if step == Status.SUBMITTED else officer,
                    at=dataset.aware(proposal.conference_date or day),
                    reason=proposal.status_reason if step in (Status.RETURNED, Status.REJECTED) else "",
                    submission=proposal.submission if step == Status.SUBMITTED else None,
                    decision=proposal.decision if step == Status.DECIDED else None,
                )
            )
            before, day = step, day + timedelta(days=14)
    bulk_with_history(dataset, ProposalEvent, rows)


# ═══ Bench ═════════════════════════════════════════════════════════════════════════════════════════════


def bench_pages(*, actors: BenchActors) -> list[BenchPage]:
    officer = ("officer",)
    return [
        BenchPage("awards index", reverse("awards:index")),
        BenchPage("awards bloc-year", reverse("awards:bloc_year", args=[actors.bloc.pk, actors.year])),
        BenchPage("review queue", reverse("awards:review_queue"), officer),
        BenchPage("award list", reverse("awards:award_list"), officer),
    ]


def bench_documents(*, actors: BenchActors) -> list[BenchDocument]:
    """The council's award list PDF of its year with the most proposals, as its background job makes it."""
    from django.db.models import Count

    top = (
        Proposal.objects.of_council(actors.council)
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n", "-year")
        .first()
    )
    if top is None:
        return []
    # The list's PDF is made by a background job: measure the job's own work (documents.jobs runs it).
    job = FileJob(
        kind="awards.jobs.award_list_pdf_make",
        subject=issuer_key("council", actors.council.pk),
        params={"year": top["year"], "statuses": list(Status.values), "bloc_id": None, "award_type_id": None},
    )

    def make() -> bytes:
        return award_list_pdf_make(job=job, progress=lambda percent: None).content

    def make_docx() -> bytes:
        return award_list_docx_make(job=job, progress=lambda percent: None).content

    return [
        BenchDocument(f"proposal list PDF ({top['n']} rows)", make),
        BenchDocument(f"proposal list Word ({top['n']} rows)", make_docx),
    ]
