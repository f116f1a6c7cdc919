"""Extension points of the base app.

Higher apps (pledges, awards, meetings) add their items to pages the base app owns by registering a
provider here in their ``AppConfig.ready()``; ``blocs`` never imports them: the apps depend one way,
blocs <- documents <- pledges <- awards <- meetings (docs/architecture.md).

A provider is a callable. Home-page providers receive ``(user, year, blocs, listed=...)`` and return
``HomeContribution``: ``blocs`` are the rows of the page shown (badges are for them only), ``listed`` is a
queryset of every bloc the home page lists, on any page, for attention items (aggregate queries over it,
never a loop over its blocs); unit-page providers receive ``(user, unit)`` and return a list of ``Panel``;
search providers receive ``(user, query)`` and return a list of ``SearchSource`` (the search page's groups);
calendar providers receive ``(user, start, end)`` and return a list of ``CalendarEvent`` (the calendar page and
feed); demo loaders receive ``summary`` (``blocs.demo.DemoSummary``) and add their records to the demo;
report sources receive ``(council, year)`` and return the ``ReportRows`` of a table of ``blocs/reports.py``.
Each provider must cost a fixed number of queries whatever the number of blocs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

if TYPE_CHECKING:  # typing only: the registry imports nothing of the portal at run time
    from django.db.models import QuerySet

    from .access import AnyUser
    from .demo import DemoSummary
    from .models import Bloc, Council, Unit


@dataclass
class AttentionItem:
    """One line of a user's to-do list (việc cần làm): what to do, where it is done, how many are waiting
    (``count``, None where it is one thing), and for an item a deadline governs, that deadline
    (``blocs.Deadline``) and the blocs it counts (``details``: lines with text and url)."""

    text: str
    url: str = ""
    level: str = "warning"  # bootstrap contextual class
    count: int | None = None
    deadline: Any = None
    details: list[Any] = field(default_factory=list)


@dataclass
class HomeContribution:
    """What a provider adds to the home page: per-bloc badges and attention items."""

    bloc_badges: dict[int, list[str]] = field(default_factory=dict)
    attention: list[AttentionItem] = field(default_factory=list)


@dataclass
class Panel:
    """A titled block of HTML-safe content on an object's page."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class SearchHit:
    """One line of a search group: what was found, its page, and a line of detail under it."""

    text: str
    url: str
    detail: str = ""


@dataclass
class SearchSource:
    """A group of the search page (``blocs:search``): the rows of one kind that match, scoped to what the
    user may open (the rule of the pages the hits link to, from ``blocs.access``).

    ``items`` is a queryset (or a list) in the group's order, not read yet: the page takes its first few
    for the group, or pages through all of them (``?in=<key>``, the group's "more" link), and turns only
    the rows it shows into lines with ``hits`` — so a group costs one or two queries whatever it matches.
    """

    key: str  # the group's name in ``?in=`` (letters only)
    title: str
    items: Any  # a QuerySet or a list: anything a Paginator takes and slices
    hits: Callable[[Sequence[Any]], list[SearchHit]]


# What each kind of provider is called with and returns (the module docstring says what each is for).
class HomeProvider(Protocol):
    def __call__(
        self, user: AnyUser, year: int, blocs: Sequence[Bloc], *, listed: QuerySet[Bloc]
    ) -> HomeContribution: ...


UnitPageProvider: TypeAlias = "Callable[[AnyUser, Unit], list[Panel]]"
BlocPageProvider: TypeAlias = "Callable[[AnyUser, Bloc, int], list[Panel]]"
DemoLoader: TypeAlias = "Callable[[DemoSummary], None]"
SearchProvider: TypeAlias = "Callable[[AnyUser, str], list[SearchSource]]"
BlocYearQuestion: TypeAlias = "Callable[[Bloc, int], bool]"
SubjectResolver: TypeAlias = Callable[[str], "tuple[int, int] | None"]
RankingProvider: TypeAlias = "Callable[[set[tuple[int, int]]], dict[tuple[int, int], BlocYearRanking]]"
CalendarProvider: TypeAlias = "Callable[[AnyUser, date, date], list[CalendarEvent]]"


home_providers: list[HomeProvider] = []
unit_page_providers: list[UnitPageProvider] = []
# Demo steps of higher apps, run by ``load_demo`` after the base records, in this order: first the
# loaders registered without ``after_conferences``, then those registered with it, each group in
# registration order (the order of INSTALLED_APPS: pledges, awards, meetings). Each receives the
# DemoSummary and must be idempotent like the base loader.
demo_loaders: list[DemoLoader] = []
_demo_late: dict[DemoLoader, bool] = {}


def register_home_provider(provider: HomeProvider) -> HomeProvider:
    if provider not in home_providers:
        home_providers.append(provider)
    return provider


def register_demo_loader(loader: DemoLoader, *, after_conferences: bool = False) -> DemoLoader:
    """Run ``loader`` in the demo; ``after_conferences``: after every loader registered without it, so that
    it finds the demo's conferences recorded and their minutes final (the awards' decided dossiers need
    them, and the awards app is ready before the meetings app registers its loader)."""
    if loader not in _demo_late:
        _demo_late[loader] = after_conferences
        demo_loaders[:] = sorted(_demo_late, key=_demo_late.__getitem__)  # stable: registration order kept
    return loader


def register_unit_page_provider(provider: UnitPageProvider) -> UnitPageProvider:
    if provider not in unit_page_providers:
        unit_page_providers.append(provider)
    return provider


# Panels on a bloc's page (e.g. the year's pledge). Providers receive ``(user, bloc, year)`` and return a
# list of ``Panel``; like the others, each costs a fixed number of queries.
bloc_page_providers: list[BlocPageProvider] = []


def register_bloc_page_provider(provider: BlocPageProvider) -> BlocPageProvider:
    if provider not in bloc_page_providers:
        bloc_page_providers.append(provider)
    return provider


# Whether a bloc-year's year-end minutes are final (the meetings app knows). Providers receive
# ``(bloc, year)`` and return True when the record of that year's conference is signed; with no provider
# no year is closed. The seats rule asks it: seat holders write next year's seats only until these minutes
# are final (``blocs.access.seat_write_refusal``).
year_end_closed_providers: list[BlocYearQuestion] = []


def register_year_end_closed_provider(provider: BlocYearQuestion) -> BlocYearQuestion:
    if provider not in year_end_closed_providers:
        year_end_closed_providers.append(provider)
    return provider


def year_end_closed(bloc: Bloc, year: int) -> bool:
    return any(provider(bloc, year) for provider in year_end_closed_providers)


# What an issued document is about, as ``(bloc id, emulation year)``. ``IssuedDocument.year`` is the
# calendar year of issue — the minutes of the conference reviewing 2020, held in February 2021, are filed
# under 2021 — while who may download a document depends on the bloc-year of its subject (whoever may
# read that bloc-year). Each app that issues a bloc's documents registers a resolver for the first part
# of its subject keys ("pledge" for "pledge:7:v1"); it receives the whole key and returns
# ``(bloc id, year)``, or None when the key is not one of its own or the subject is gone. One query at most.
document_subject_resolvers: dict[str, SubjectResolver] = {}


def register_document_subject(prefix: str, resolver: SubjectResolver) -> SubjectResolver:
    document_subject_resolvers[prefix] = resolver
    return resolver


def document_subject(subject_key: str) -> tuple[int, int] | None:
    """The ``(bloc id, year)`` an issued document is about, or None if no app knows its subject."""
    prefix = subject_key.partition(":")[0]
    resolver = document_subject_resolvers.get(prefix)
    return resolver(subject_key) if resolver is not None else None


# Whether signing of a bloc-year's pledge has ever opened (the pledges app knows). Providers receive
# ``(bloc, year)`` and return True once a version of that year's pledge left drafting. The outgoing seat
# holders draft the next year's pledge until then (``blocs.access.can_prepare_year``); with no provider
# signing never opened.
pledge_signing_opened_providers: list[BlocYearQuestion] = []


def register_pledge_signing_opened_provider(provider: BlocYearQuestion) -> BlocYearQuestion:
    if provider not in pledge_signing_opened_providers:
        pledge_signing_opened_providers.append(provider)
    return provider


def pledge_signing_opened(bloc: Bloc, year: int) -> bool:
    return any(provider(bloc, year) for provider in pledge_signing_opened_providers)


# Groups of the search page from higher apps (people, proposals and decisions from awards, meetings from
# meetings), in registration order after the base app's units and blocs. Each provider receives the
# user and the search text, returns its ``SearchSource`` list (empty for a user who may open none of its
# pages), and reads nothing itself: the page slices each source's ``items``.
search_providers: list[SearchProvider] = []


def register_search_provider(provider: SearchProvider) -> SearchProvider:
    if provider not in search_providers:
        search_providers.append(provider)
    return provider


# The stored rankings of bloc-years (xếp hạng; the pledges app keeps them). A provider is called as
# ``provider(bloc_years)`` with a set of ``(bloc id, year)`` and returns a ``BlocYearRanking`` for every one
# of them whose bloc exists — with ``state`` "none" where the year has no ranking — in a fixed number of
# queries whatever the number of bloc-years (the review queue checks a whole page of proposals). Award rules
# read it ("requires rank 1–3", "a final score of at least 90") and the award forms offer a ranked unit's
# line as a reason; only a ``final`` ranking counts. With no provider nothing is ranked.
@dataclass(frozen=True)
class RankLine:
    """A unit's line of a stored ranking: its rank (None: not ranked, ``not_ranked`` says why, in words),
    its final score if known, and ``reason``, the line as an award's reason cites it ("Xếp hạng Nhất Khối
    thi đua … năm 2020"; empty when not ranked)."""

    unit_id: int
    unit_name: str
    rank: int | None
    final_score: Decimal | None = None
    not_ranked: str = ""
    joined_during_year: bool = False
    reason: str = ""


@dataclass(frozen=True)
class BlocYearRanking:
    """A bloc-year's ranking as stored: ``state`` is "final", "reopened" (an officer reopened it: it counts
    for nothing until finalised again) or "none"; ``lines`` by unit id, in the ranking's order."""

    bloc_id: int
    year: int
    bloc_name: str
    state: str = "none"
    reopen_reason: str = ""
    lines: dict[int, RankLine] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return self.state == "final"

    @property
    def first(self) -> list[RankLine]:
        """The units ranked first (several where the first rank is shared)."""
        return [line for line in self.lines.values() if line.rank == 1]


ranking_providers: list[RankingProvider] = []


def register_ranking_provider(provider: RankingProvider) -> RankingProvider:
    if provider not in ranking_providers:
        ranking_providers.append(provider)
    return provider


def rankings(bloc_years: set[tuple[int, int]]) -> dict[tuple[int, int], BlocYearRanking]:
    """The stored ranking of each bloc-year a provider knows (see ``RankLine``)."""
    found: dict[tuple[int, int], BlocYearRanking] = {}
    if not bloc_years:
        return found
    for provider in ranking_providers:
        for key, ranking in provider(bloc_years).items():
            found.setdefault(key, ranking)
    return found


# Deadlines: what each kind of deadline asks for, and who has not done it yet ----------------------------
# (blocs.todo turns it into to-do items and blocs.reminders into reminders; the app that owns the thing
# registers its tracker in ready()).


@dataclass(frozen=True)
class Owing:
    """In one bloc-year, what is still owed of what a kind of deadline asks for: ``pending`` of ``total``
    (units that have not signed of the signatories; for a thing the bloc does itself, 1 of 1 until it is
    done); ``units``: the member units that owe it (for a kind done by each member); ``url``: the page
    where it is done, and ``unit_url`` where an owing unit does its part (``url`` if empty)."""

    total: int
    pending: int
    url: str
    units: frozenset[int] = frozenset()
    unit_url: str = ""

    @property
    def owed(self) -> bool:
        return self.pending > 0


# The tracker of one kind: ``(bloc_years) -> {(bloc id, year): Owing}`` for the bloc-years where the thing is
# under way (a pledge being signed, a scoring table open...), in a fixed number of queries.
OwingProvider: TypeAlias = "Callable[[list[tuple[Bloc, int]]], dict[tuple[int, int], Owing]]"


@dataclass(frozen=True)
class DeadlineTracker:
    """``by_members``: each member unit does it (signing, registering, self scoring), so the chair sees a
    count and each owing unit its own item; otherwise the bloc does it through its chair and vice-chairs.
    ``needs_deadline``: tracked only where a deadline of the kind is set (registration, say, is asked for
    only then), or in the years ``due_without_deadline(year)`` says it is due anyway (the conference, from
    December of its year). The texts take ``bloc``, ``year``, ``owing`` and ``total``: ``seat_text`` for the chair
    and vice-chairs ("3/8 have not signed"), ``unit_text`` for an owing unit's users."""

    kind: str
    owing: OwingProvider
    by_members: bool
    needs_deadline: bool
    seat_text: Any
    unit_text: Any = ""
    due_without_deadline: Callable[[int], bool] | None = None

    def tracks(self, year: int, *, has_deadline: bool) -> bool:
        if has_deadline or not self.needs_deadline:
            return True
        return self.due_without_deadline is not None and self.due_without_deadline(year)


deadline_trackers: dict[str, DeadlineTracker] = {}


def register_deadline_tracker(tracker: DeadlineTracker) -> DeadlineTracker:
    deadline_trackers[tracker.kind] = tracker
    return tracker


# The calendar (lịch): the month page (``blocs:calendar``) and each user's iCalendar feed show what the
# higher apps date — the conferences of meetings, deadlines. A provider is called as ``provider(user, start,
# end)`` and returns the events with ``start <= day <= end`` that ``user`` may see, each scoped by the rule of
# the page it links to (``blocs.access``), in a fixed number of queries whatever the number of events (the
# feed asks for two years at once). With no provider the calendar is empty.
@dataclass(frozen=True, kw_only=True)
class CalendarEvent:
    """One dated thing of the calendar.

    ``day`` is the local date (Asia/Ho_Chi_Minh); ``start``/``end`` its local times, None for an all-day
    event (a deadline, a meeting whose hour is not recorded). ``url`` is the page's path (the feed makes it
    absolute with ``SITE_URL``); ``kind`` a short key of what it is ("meeting", "deadline": the page's class
    and legend); ``uid`` a stable identity of the event across feeds and days ("meeting-12"), so that a phone
    updates the event instead of adding another; ``detail`` an optional line under the title (the bloc).
    """

    title: str
    day: date
    url: str
    kind: str
    uid: str
    start: time | None = None
    end: time | None = None
    location: str = ""
    detail: str = ""


calendar_providers: list[CalendarProvider] = []


def register_calendar_provider(provider: CalendarProvider) -> CalendarProvider:
    if provider not in calendar_providers:
        calendar_providers.append(provider)
    return provider


def calendar_events(user: AnyUser, start: date, end: date) -> list[CalendarEvent]:
    """Every provider's events from ``start`` to ``end`` (both included) for ``user``, by day and time
    (all-day events first), then title."""
    events = [event for provider in calendar_providers for event in provider(user, start, end)]
    return sorted(events, key=lambda e: (e.day, e.start is not None, e.start or time.min, e.title, e.uid))


# The rows of the reports' tables (báo cáo; the definitions are data in ``blocs/reports.py``). Each app
# registers, under a key the definitions name (``"awards.by_type"``), a source called as
# ``source(council, year)`` that returns the table's rows, each a mapping of measure key to value (an int, a
# str, a date, a bool, or None for unknown), and an optional note ("No deadline was set for 2021."). A source
# reads in a fixed number of queries whatever the number of blocs, units or proposals; it reads everything of
# the council (the report's page is for its officers). With no source registered under a key the report says
# its table is not available, so ``blocs`` builds a report alone.
@dataclass
class ReportRows:
    """What a report source returns: the table's rows, in order, and a note printed under the table."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


ReportSource: TypeAlias = "Callable[[Council, int], ReportRows]"
report_sources: dict[str, ReportSource] = {}


def register_report_source(key: str, source: ReportSource) -> ReportSource:
    report_sources[key] = source
    return source
