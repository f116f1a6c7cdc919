"""Reads of the awards app: what its pages show (the review queue, the late blocs, the council-wide list,
award history) and what the meetings app reads through this public API.

The award history of a unit or a person (lịch sử khen thưởng) lists every proposal of the recipient, not
only decided awards: right after a conference the units the bloc proposed read "Đề nghị", not "no award
recorded". Who sees what follows ``blocs.access``: a decided award is shown to whoever may see the unit
(as before); a proposal not yet decided only to those who read its bloc-year — the council's officers
and the units that are members of the bloc that year, the recipient's own unit included. Each read is one
query (plus the viewer's memberships, read once per request) whatever the number of proposals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

from blocs import access
from blocs.access import AnyUser
from blocs.models import Bloc, Council, Deadline, Membership, Unit
from blocs.text import search_words

from .models import AwardType, Decision, Person, Proposal, ProposalEvent, Submission

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Status = Proposal.Status

# The state a history row shows. A draft is what the bloc voted at its conference and has not sent yet.
HISTORY_STATE: dict[str, StrOrPromise] = {
    Status.DRAFT: _("Proposed"),
    Status.SUBMITTED: Status.SUBMITTED.label,
    Status.RETURNED: Status.RETURNED.label,
    Status.APPROVED: Status.APPROVED.label,
    Status.REJECTED: Status.REJECTED.label,
    Status.DECIDED: Status.DECIDED.label,
}

_HISTORY_RELATED = ("award_type", "bloc", "decision", "person", "unit")
_HISTORY_ORDER = ("-year", "award_type__order", "award_type_id", "id")


def decided_proposals(
    *, unit: Unit | None = None, bloc: Bloc | None = None, year: int | None = None
) -> QuerySet[Proposal]:
    """Decided awards of a unit (its collectives and people included), of a bloc, of a year, or of a
    bloc-year — e.g. the meetings app offering the awards handed over at a conference."""
    proposals = Proposal.objects.decided()
    if unit is not None:
        proposals = proposals.filter(unit=unit)
    if bloc is not None:
        proposals = proposals.filter(bloc=bloc)
    if year is not None:
        proposals = proposals.filter(year=year)
    return proposals.select_related(*_HISTORY_RELATED).order_by(*_HISTORY_ORDER)


def bloc_year_proposals(*, bloc: Bloc, year: int) -> QuerySet[Proposal]:
    """Every proposal of a bloc-year, whatever its state, in the catalogue's order."""
    return (
        Proposal.objects.of_bloc_year(bloc, year)
        .select_related(*_HISTORY_RELATED)
        .order_by("award_type__order", "award_type_id", "id")
    )


def unit_award_history(*, user: AnyUser, unit: Unit) -> list[Proposal]:
    """The unit's award history as ``user`` may read it: its decided awards and, where the user reads the
    bloc-year, its proposals in every other state. The caller has checked that the user sees the unit."""
    return _readable(user, Proposal.objects.filter(unit=unit))


def person_award_history(*, user: AnyUser, person: Person) -> list[Proposal]:
    """A person's award history as ``user`` may read it (see ``unit_award_history``)."""
    return _readable(user, Proposal.objects.filter(person=person))


def _readable(user: AnyUser, proposals: QuerySet[Proposal]) -> list[Proposal]:
    rows = []
    for proposal in proposals.select_related(*_HISTORY_RELATED).order_by(*_HISTORY_ORDER):
        reads_year = _reads_bloc_year(user, proposal)
        if proposal.status != Status.DECIDED and not reads_year:
            continue
        proposal.history_state = HISTORY_STATE[proposal.status]
        # The proposal's own page opens for those who read its bloc-year (a bloc-less entry: officers).
        proposal.history_link = proposal.get_absolute_url() if reads_year else ""
        rows.append(proposal)
    return rows


def _reads_bloc_year(user: AnyUser, proposal: Proposal) -> bool:
    if access.is_officer_of(user, proposal.council_id):
        return True
    if proposal.bloc_id is None:
        return False
    return access.is_member(user, proposal.bloc, proposal.year)


# Pages ------------------------------------------------------------------------------------------------


def bloc_year_counts(*, blocs: list[Bloc]) -> dict[tuple[int, int], int]:
    """The number of proposals the portal holds per (bloc id, year), for the awards' start page."""
    return {
        (bloc_id, year): n
        for bloc_id, year, n in Proposal.objects.filter(bloc__in=blocs, source=Proposal.Source.PORTAL)
        .values_list("bloc_id", "year")
        .annotate(n=Count("id"))
    }


def submittable_proposals(*, bloc: Bloc, year: int) -> QuerySet[Proposal]:
    """The bloc-year's proposals a submission may take: editable, and not the bloc's own awards."""
    return (
        Proposal.objects.of_bloc_year(bloc, year)
        .filter(status__in=Proposal.EDITABLE)
        .exclude(award_type__authority=AwardType.Authority.BLOC)
        .with_related()
        .order_by("award_type__order", "id")
    )


def review_queue(
    *,
    council: Council,
    year: int | None = None,
    bloc: Bloc | None = None,
    award_type: AwardType | None = None,
    status: str | None = None,
) -> QuerySet[Proposal]:
    """The proposals of the council's blocs the Board has received (drafts never), newest year first,
    narrowed by the filters given."""
    proposals = (
        Proposal.objects.of_council(council)
        .filter(source=Proposal.Source.PORTAL)
        .exclude(status=Status.DRAFT)
        .with_related()
        .order_by("-year", "bloc__sort_name", "award_type__order", "id")
    )
    if year:
        proposals = proposals.filter(year=year)
    if bloc:
        proposals = proposals.filter(bloc=bloc)
    if award_type:
        proposals = proposals.filter(award_type=award_type)
    if status:
        proposals = proposals.filter(status=status)
    return proposals


def proposals_matching(proposals: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """``proposals`` where every word of ``text`` occurs, whatever its case and diacritics ("hoi phu nu"
    finds "Hội Phụ nữ"), in the recipient (the unit's names, abbreviations and code, the collective's name,
    the person's name) or the bloc (its name and code).

    Each word is compared with the folded search columns (``blocs.text``), as the other searches do, so
    the match is the same on SQLite and PostgreSQL; the joined columns add no query.
    """
    for word in search_words(text):
        proposals = proposals.filter(
            Q(unit__search_text__contains=word)
            | Q(search_text__contains=word)
            | Q(person__search_text__contains=word)
            | Q(bloc__search_text__contains=word)
        )
    return proposals


# The search page (blocs:search, through awards.providers) ---------------------------------------------


def people_found(*, user: AnyUser, text: str) -> QuerySet[Person]:
    """People whose name has every word of ``text`` (case and diacritics ignored), among those whose page
    ``user`` may open: a person's page is open to whoever may see the person's unit."""
    people = Person.objects.filter(unit__in=access.visible_units(user))
    for word in search_words(text):  # as PersonQuerySet.search
        people = people.filter(search_text__contains=word)
    return people.select_related("unit").order_by("sort_name", "id")


def proposals_found(*, user: AnyUser, text: str) -> QuerySet[Proposal]:
    """Proposals whose recipient or bloc has every word of ``text`` (``proposals_matching``), among those of
    the bloc-years ``user`` reads (``access.readable_bloc_years_q``; a proposal without a bloc is the
    officers'), newest year first."""
    readable = Proposal.objects.with_related().filter(access.readable_bloc_years_q(user, council="council"))
    return proposals_matching(readable, text).order_by("-year", "award_type__order", "id")


def decisions_found(*, user: AnyUser, text: str) -> QuerySet[Decision]:
    """Decisions of the councils whose officer ``user`` is (a decision's page is theirs only) whose number
    has every word of ``text``: "412", "412/QĐ" and "412/qd-ubnd" find "412/QĐ-UBND".

    The number has no folded column: it is compared lower-cased with Đ as d, which is all that folding
    changes in a decision number ("QĐ", "UBND", "TTg"), on SQLite and PostgreSQL alike.
    """
    folded = Lower(Replace(Replace("number", Value("Đ"), Value("d")), Value("đ"), Value("d")))
    decisions = Decision.objects.filter(access.officer_councils_q(user)).exclude(number="").alias(folded=folded)
    for word in search_words(text):
        decisions = decisions.filter(folded__contains=word)
    return decisions.order_by("-date", "-id")


@dataclass
class Lateness:
    """The council's submission deadlines (hạn nộp, ``blocs.Deadline`` of kind ``submission``) of some years,
    and what the blocs still owe. A bloc's own deadline counts instead of the council's.

    What is true, and shown (docs/domain.md: a deadline is the day a council's blocs must have submitted
    their proposals of a year):

    * **On a row, as a fact**: a proposal first submitted after its year's deadline was "submitted n days
      late" (``days_late``), whatever its state now. It stays true; it is the row's, not a banner's.
    * **In the banner, only while someone must still act**: a bloc-year whose deadline has passed and that

      - still holds proposals for the Board it never submitted (drafts; the bloc's own awards, decided at
        its conference, are never submitted) — ``unsent``; or
      - has submitted nothing at all, while the year is still being submitted: the council's current
        emulation year or the one before, and the bloc had members that year. An older year with nothing
        submitted is history, not a task.

      A bloc-year that submitted late and has nothing left to send is not in the banner: once everything
      is submitted (and then returned, approved or decided by the Board), a past year says nothing there.
      A proposal the Board returned is the Board's request, not lateness against the deadline.
    """

    deadlines: dict[int, date] = field(default_factory=dict)
    # A bloc's own deadline of a year, where the officers set one: (bloc id, year) -> day.
    bloc_deadlines: dict[tuple[int, int], date] = field(default_factory=dict)
    current_year: int = 0
    # Bloc-years that submitted something, and their drafts for the Board (bloc id, year) -> count.
    submitted: set[tuple[int, int]] = field(default_factory=set)
    unsent: dict[tuple[int, int], int] = field(default_factory=dict)
    # Bloc id -> the years it had members.
    member_years: dict[int, list[tuple[int, int | None]]] = field(default_factory=dict)

    def deadline_of(self, bloc_id: int, year: int) -> date | None:
        return self.bloc_deadlines.get((bloc_id, year), self.deadlines.get(year))

    def days_late(self, *, bloc_id: int, year: int, submitted_on: date | None) -> int:
        """How many days after the bloc-year's deadline a proposal first submitted on ``submitted_on`` was (0: on
        time or no deadline)."""
        deadline = self.deadline_of(bloc_id, year)
        if deadline is None or submitted_on is None or submitted_on <= deadline:
            return 0
        return (submitted_on - deadline).days

    def _had_members(self, bloc_id: int, year: int) -> bool:
        return any(
            first <= year and (last is None or last >= year) for first, last in self.member_years.get(bloc_id, [])
        )

    def late_blocs(self, *, blocs: list[Bloc], today: date) -> list[dict[str, Any]]:
        """The banner's rows (see the class): for each deadline that has passed, the blocs with drafts still
        unsent (``unsent``: how many) and, for a year still being submitted, those that submitted nothing."""
        rows: list[dict[str, Any]] = []
        years = sorted({*self.deadlines, *(year for _bloc, year in self.bloc_deadlines)})
        for year in years:
            open_year = year >= self.current_year - 1
            for bloc in blocs:
                deadline = self.deadline_of(bloc.pk, year)
                if deadline is None or deadline >= today:
                    continue
                unsent = self.unsent.get((bloc.pk, year), 0)
                if unsent:
                    rows.append({"bloc": bloc, "year": year, "deadline": deadline, "unsent": unsent})
                elif open_year and (bloc.pk, year) not in self.submitted and self._had_members(bloc.pk, year):
                    rows.append({"bloc": bloc, "year": year, "deadline": deadline})
        return rows


def submission_lateness(*, council: Council, years: list[int]) -> Lateness:
    """Three queries: the deadlines of ``years``, each bloc-year's proposals for the Board by whether they were
    ever submitted, and the blocs' membership years."""
    lateness = Lateness(current_year=council.current_year)
    for deadline in Deadline.objects.filter(council=council, year__in=years, kind=Deadline.Kind.SUBMISSION):
        if deadline.bloc_id:
            lateness.bloc_deadlines[(deadline.bloc_id, deadline.year)] = deadline.due_on
        else:
            lateness.deadlines[deadline.year] = deadline.due_on
    deadline_years = {*lateness.deadlines, *(year for _bloc, year in lateness.bloc_deadlines)}
    if not deadline_years:
        return lateness
    rows = (
        Proposal.objects.filter(bloc__council=council, year__in=list(deadline_years), source=Proposal.Source.PORTAL)
        .exclude(award_type__authority=AwardType.Authority.BLOC)
        .values_list("bloc_id", "year")
        .annotate(drafts=Count("id", filter=Q(status=Status.DRAFT)), sent=Count("id", filter=~Q(status=Status.DRAFT)))
        .order_by()
    )
    for bloc_id, year, drafts, sent in rows:
        if sent:
            lateness.submitted.add((bloc_id, year))
        if drafts:
            lateness.unsent[(bloc_id, year)] = drafts
    # A bloc-year with a submission (tờ trình) submitted something, even if its proposals moved on since.
    lateness.submitted.update(
        Submission.objects.filter(bloc__council=council, year__in=list(deadline_years)).values_list("bloc_id", "year")
    )
    for bloc_id, first, last in Membership.objects.filter(bloc__council=council).values_list(
        "bloc_id", "first_year", "last_year"
    ):
        lateness.member_years.setdefault(bloc_id, []).append((first, last))
    return lateness


def first_submitted_on(*, proposals: list[Proposal]) -> dict[int, date]:
    """The day each proposal was first submitted: the earliest submission (tờ trình) it went out in — a
    proposal returned and sent again keeps its first day. One query."""
    first = dict(
        ProposalEvent.objects.filter(
            proposal_id__in=[p.pk for p in proposals], to_status=Status.SUBMITTED, submission__isnull=False
        )
        .values_list("proposal_id")
        .annotate(day=Min("submission__submitted_on"))
        .order_by()
    )
    for proposal in proposals:  # rows written without events (imports, the generator) keep their submission's
        if proposal.pk not in first and proposal.submission_id and proposal.submission is not None:
            first[proposal.pk] = proposal.submission.submitted_on
    return first


def council_award_list(
    *, council: Council, year: int, statuses: list[str], bloc_id: int | None = None, award_type_id: int | None = None
) -> QuerySet[Proposal]:
    """The council-wide list of a year (page, Excel and PDF): the proposals in ``statuses``, by award type,
    bloc and unit."""
    proposals = Proposal.objects.of_council(council).filter(year=year, status__in=statuses).with_related()
    if bloc_id:
        proposals = proposals.filter(bloc_id=bloc_id)
    if award_type_id:
        proposals = proposals.filter(award_type_id=award_type_id)
    return proposals.order_by("award_type__order", "award_type_id", "bloc__sort_name", "unit__sort_name", "id")
