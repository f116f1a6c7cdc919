"""The reports' tables, as data (báo cáo): what each table is called, its columns and where its rows come from.

A report is a list of tables; a table names a *source* (a key of ``blocs.registry.report_sources``: the app
that knows the numbers registers a function under it) and its *columns*, each a *measure* (a key of the
source's rows) with its heading and the kind of value it holds. The page, the Excel workbook and the printed
PDF are all written from these definitions by one builder (``blocs.reporting.report_build``), so a new table
— the Ministry's statistics forms, later — is a new definition here and, where its numbers are new, a new
source in the app that knows them; no page, workbook or document code changes.

This module holds only the definitions: no query, no import of another app. The sources of the council's
year report are ``blocs.reporting`` (blocs and their chairs), ``meetings.reports`` (the year-end
conferences), ``pledges.reports`` (the pledge's signatures) and ``awards.reports`` (registrations, proposals,
decisions, lateness).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The kinds of value a column holds, which say how each output writes it and whether the total row adds it.
TEXT = "text"  # words; never added
COUNT = "count"  # a whole number; added in the total row unless the column says otherwise
DATE = "date"  # a day, dd/mm/yyyy (a date cell in Excel)
PERCENT = "percent"  # a whole percentage, 0 to 100
FLAG = "flag"  # yes or no; the total row counts the yeses
KINDS = (TEXT, COUNT, DATE, PERCENT, FLAG)


@dataclass(frozen=True)
class ReportColumn:
    """A column: the measure it shows (a key of the source's rows), its heading, its kind, its printed
    width in millimetres (None: what the other columns leave), and whether the total row adds it."""

    measure: str
    heading: StrOrPromise
    kind: str = TEXT
    width_mm: float | None = None
    total: bool | None = None  # None: counts and flags are added, the rest is not

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}")

    @property
    def adds_up(self) -> bool:
        return self.total if self.total is not None else self.kind in (COUNT, FLAG)

    @property
    def numeric(self) -> bool:
        return self.kind in (COUNT, PERCENT)


@dataclass(frozen=True)
class ReportChart:
    """A bar chart of a table: a bar per row, labelled by the ``label`` measure, as long as the ``value``
    measure over ``maximum`` (None: the largest value). The table itself is the chart's data."""

    title: StrOrPromise
    label: str
    value: str
    maximum: int | None = None


@dataclass(frozen=True)
class ReportTable:
    """A table of a report: ``key`` (its id on the page, unique in the report), its title, the source of its
    rows, its columns, the Excel sheet's name (at most 31 characters), what it says when it has no rows,
    whether a total row follows the rows, and an optional chart."""

    key: str
    title: StrOrPromise
    source: str
    columns: tuple[ReportColumn, ...]
    sheet: StrOrPromise
    empty: StrOrPromise = _("Nothing to report.")
    totals: bool = True
    chart: ReportChart | None = None


@dataclass(frozen=True)
class ReportDefinition:
    """A report: its key, its printed title ("Báo cáo …", the document's subject) and its tables in order."""

    key: str
    title: StrOrPromise
    tables: tuple[ReportTable, ...]


BLOC = ReportColumn("bloc", _("Bloc or cluster"))
AWARD_TYPE = ReportColumn("award_type", _("Award type"))

# Báo cáo năm của hội đồng: what the council's blocs did in one emulation year.
COUNCIL_YEAR = ReportDefinition(
    key="council_year",
    title=_("Emulation and awards of the blocs and clusters in %(year)s"),
    tables=(
        ReportTable(
            key="blocs",
            title=_("Blocs and clusters, their chairs"),
            source="blocs.seats",
            sheet=_("Blocs"),
            empty=_("No bloc had members this year."),
            columns=(
                BLOC,
                ReportColumn("members", _("Member units"), COUNT, 20),
                ReportColumn("chair", _("Chair"), TEXT, 42),
                ReportColumn("vices", _("Vice-chairs"), TEXT, 42),
            ),
        ),
        ReportTable(
            key="conferences",
            title=_("Year-end conferences"),
            source="meetings.year_end",
            sheet=_("Conferences"),
            empty=_("No bloc had members this year."),
            columns=(
                BLOC,
                ReportColumn("date", _("Date"), DATE, 24),
                ReportColumn("place", _("Place"), TEXT, 40),
                ReportColumn("held", _("Held"), FLAG, 18),
                ReportColumn("minutes_final", _("Minutes final"), FLAG, 20),
            ),
        ),
        ReportTable(
            key="pledges",
            title=_("Pledges signed"),
            source="pledges.signing",
            sheet=_("Pledges"),
            empty=_("No bloc had members this year."),
            columns=(
                BLOC,
                ReportColumn("state", _("Pledge"), TEXT, 30),
                ReportColumn("units", _("Units to sign"), COUNT, 22),
                ReportColumn("signed", _("Units signed"), COUNT, 22),
                ReportColumn("signed_percent", _("Signed (%)"), PERCENT, 20),
            ),
            chart=ReportChart(_("Pledge signing by bloc (%)"), label="bloc", value="signed_percent", maximum=100),
        ),
        ReportTable(
            key="registrations",
            title=_("Registrations for awards"),
            source="awards.registrations",
            sheet=_("Registrations"),
            empty=_("No unit registered for an award this year."),
            columns=(AWARD_TYPE, ReportColumn("units", _("Units registered"), COUNT, 30)),
        ),
        ReportTable(
            key="awards",
            title=_("Proposals and awards by award type"),
            source="awards.by_type",
            sheet=_("Awards by type"),
            empty=_("No proposal or award this year."),
            columns=(
                AWARD_TYPE,
                ReportColumn("proposed_collective", _("Proposed: collectives"), COUNT, 21),
                ReportColumn("proposed_individual", _("Proposed: individuals"), COUNT, 21),
                ReportColumn("decided_collective", _("Awarded: collectives"), COUNT, 21),
                ReportColumn("decided_individual", _("Awarded: individuals"), COUNT, 21),
                ReportColumn("decided", _("Awarded: total"), COUNT, 21),
            ),
            chart=ReportChart(_("Awards by award type"), label="award_type", value="decided"),
        ),
        ReportTable(
            key="states",
            title=_("Proposals by state"),
            source="awards.by_state",
            sheet=_("Proposals by state"),
            columns=(
                ReportColumn("state", pgettext_lazy("status", "State")),
                ReportColumn("proposals", _("Proposals"), COUNT, 30),
            ),
            chart=ReportChart(_("Proposals by state"), label="state", value="proposals"),
        ),
        ReportTable(
            key="years",
            title=_("Awards over the years"),
            source="awards.by_year",
            sheet=_("Awards by year"),
            columns=(
                ReportColumn("year", _("Year")),
                ReportColumn("collective", _("Collectives"), COUNT, 30),
                ReportColumn("individual", _("Individuals"), COUNT, 30),
                ReportColumn("total", _("Total"), COUNT, 30),
            ),
            totals=False,
            chart=ReportChart(_("Awards by year"), label="year", value="total"),
        ),
        ReportTable(
            key="late",
            title=_("Blocs late with their proposals"),
            source="awards.lateness",
            sheet=_("Late blocs"),
            empty=_("No bloc was late with its proposals."),
            columns=(
                BLOC,
                ReportColumn("deadline", _("Deadline"), DATE, 24),
                ReportColumn("submitted_on", _("First submitted"), DATE, 24),
                ReportColumn("days_late", _("Days late"), COUNT, 18),
                ReportColumn("situation", _("Situation"), TEXT, 45),
            ),
            totals=False,
        ),
    ),
)

REPORTS = {COUNCIL_YEAR.key: COUNCIL_YEAR}
