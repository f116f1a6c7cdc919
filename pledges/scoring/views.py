"""Scoring and ranking pages. Thin: find the object, check permission (``pledges.scoring.access``), call a
service, redirect. The rules: docs/domain.md, "Scoring and ranking".

Who may do what is decided by the predicates of ``pledges.scoring.access`` only: a user who may not see
the bloc at all gets 404 (its existence is not disclosed), a known user without the right gets 403, and a
step refused by the state (scoring not open, a submitted sheet, a final ranking) goes back to its page with
the service's reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs import access as bloc_access
from blocs.charts import BarChart, bar_chart
from blocs.history import history_entries
from blocs.models import Bloc
from blocs.web import (
    Confirmation,
    bloc_year_or_404,
    bloc_years_around,
    confirm_page,
    confirmed,
    errors_to_messages,
    form_attempt,
    stored_file_response,
)
from documents.render import file_name_safe

from . import access, services
from .forms import (
    AssignmentForm,
    CriterionForm,
    DirectRankingForm,
    EvidenceForm,
    GroupForm,
    ReasonForm,
    ReviewScoresForm,
    SelfScoresForm,
    SettingsForm,
    TableCreateForm,
)
from .models import Criterion, Ranking, Score, ScoreEvidence, ScoreSheet, ScoringGroup, ScoringTable
from .selectors import RankingRow, ranking_compute, ranking_stored, sheet_criteria, sheet_totals

# Finding things ----------------------------------------------------------------------------------------

_TABLES = ScoringTable.objects.select_related("bloc__council")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _bloc_year(user, pk: int, year: int, may: Callable[..., bool]) -> Bloc:
    bloc = bloc_access.bloc_for_viewing(user, pk)
    bloc_year_or_404(bloc, year)
    if not may(user, bloc, year):
        raise PermissionDenied
    return bloc


def _table(user, pk: int, may: Callable[..., bool]) -> ScoringTable:
    """The table, or 404 to anyone who may not see its bloc; 403 when ``may`` refuses its bloc-year."""
    table = get_object_or_404(_TABLES, pk=pk)
    if not bloc_access.can_view_bloc(user, table.bloc):
        raise Http404
    if not may(user, table.bloc, table.year):
        raise PermissionDenied
    return table


def _group(user, pk: int) -> ScoringGroup:
    group = get_object_or_404(ScoringGroup.objects.select_related("table__bloc__council"), pk=pk)
    _table_checked(user, group.table, access.can_edit_table)
    return group


def _criterion(user, pk: int) -> Criterion:
    criterion = get_object_or_404(Criterion.objects.select_related("group__table__bloc__council"), pk=pk)
    _table_checked(user, criterion.group.table, access.can_edit_table)
    return criterion


def _table_checked(user, table: ScoringTable, may: Callable[..., bool]) -> None:
    if not bloc_access.can_view_bloc(user, table.bloc):
        raise Http404
    if not may(user, table.bloc, table.year):
        raise PermissionDenied


def _sheet(user, pk: int, may: Callable[..., bool] = access.can_view_sheet) -> ScoreSheet:
    """The sheet, or 404 to anyone who may not see its bloc; 403 unless ``may`` (a sheet predicate)."""
    sheet = get_object_or_404(ScoreSheet.objects.select_related("table__bloc__council", "unit"), pk=pk)
    if not bloc_access.can_view_bloc(user, sheet.table.bloc):
        raise Http404
    if not access.can_read_scoring(user, sheet.table.bloc, sheet.table.year) or not may(user, sheet):
        raise PermissionDenied
    return sheet


def _scoring_url(table: ScoringTable) -> str:
    return reverse("scoring:scoring_detail", args=[table.bloc_id, table.year])


def _ranking_url(bloc_id: int, year: int) -> str:
    return reverse("scoring:ranking_detail", args=[bloc_id, year])


def _refuse(request, error: ValidationError, url: str):
    errors_to_messages(request, error)
    return redirect(url)


# The bloc-year's scoring page --------------------------------------------------------------------------


@dataclass
class SheetLine:
    """A sheet in the scoring page's list: its unit, state and running totals."""

    sheet: ScoreSheet
    self_total: Decimal | None
    review_total: Decimal | None


def _sheet_lines(table: ScoringTable, sheets: list[ScoreSheet]) -> list[SheetLine]:
    """The totals of many sheets in one query (active criteria only, as the ranking counts them)."""
    sums = {
        row["sheet_id"]: row
        for row in Score.objects.filter(sheet__in=sheets, criterion__active=True, criterion__group__active=True)
        .values("sheet_id")
        .annotate(own=Sum("self_points"), review=Sum("review_points"))
    }
    return [
        SheetLine(sheet=s, self_total=sums.get(s.pk, {}).get("own"), review_total=sums.get(s.pk, {}).get("review"))
        for s in sheets
    ]


@require_safe
def scoring_detail(request, pk: int, year: int):
    """The bloc-year's scoring: the table (groups and criteria), its settings and state, the sheets, and
    the buttons the user may use. Without a table: who may start one (blank or from an earlier year)."""
    user = request.user
    bloc = _bloc_year(user, pk, year, access.can_read_scoring)
    table = _TABLES.filter(bloc=bloc, year=year).first()
    neighbours = bloc_years_around(bloc, year, before=1, after=1)
    can_edit = access.can_edit_table(user, bloc, year)
    context: dict = {
        "bloc": bloc,
        "year": year,
        "table": table,
        "can_edit": can_edit,
        "locked": access.is_locked(bloc, year),
        "previous_year": year - 1 if year - 1 in neighbours else None,
        "next_year": year + 1 if year + 1 in neighbours else None,
    }
    if table is None:
        context["create_form"] = TableCreateForm(bloc=bloc, year=year) if can_edit else None
        return render(request, "scoring/scoring_detail.html", context)
    table.bloc = bloc
    groups = list(
        table.groups.filter(active=True)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.filter(active=True).order_by("position", "id"))
        )
    )
    removed = list(
        Criterion.objects.filter(group__table=table)
        .exclude(active=True, group__active=True)
        .select_related("group")
        .order_by("group__position", "position")
    )
    sheets = list(table.sheets.select_related("unit").order_by("unit__sort_name"))
    for sheet in sheets:
        sheet.table = table
    can_manage = access.can_manage_scoring(user, bloc, year)
    manages = bloc_access.can_manage_bloc_year(user, bloc, year)
    # A unit's user sees its own sheet and, in a cross-review, the sheets its unit reviews (one query).
    reviews: set[int] = set()
    if not manages and getattr(user, "unit_id", None) and table.review_mode == ScoringTable.ReviewMode.CROSS:
        reviews = set(table.assignments.filter(reviewer_id=user.unit_id).values_list("reviewed_id", flat=True))
    visible = [s for s in sheets if manages or bloc_access.acts_for_unit(user, s.unit_id) or s.unit_id in reviews]
    counts = {state: sum(1 for s in sheets if s.state == state) for state in ScoreSheet.State.values}
    context.update(
        {
            "groups": groups,
            "removed": removed,
            "base_total": sum((c.maximum for g in groups for c in g.criteria.all() if c.kind == "base"), Decimal(0)),
            "can_manage": can_manage,
            "sheet_lines": _sheet_lines(table, visible),
            "sheet_count": len(sheets),
            "counts": counts,
            "my_sheet": next((s for s in sheets if bloc_access.acts_for_unit(user, s.unit_id)), None)
            if getattr(user, "unit_id", None)
            else None,
            "assignments": list(
                table.assignments.select_related("reviewer", "reviewed").order_by("reviewed__sort_name")
            )
            if table.review_mode == ScoringTable.ReviewMode.CROSS
            else [],
            "settings_form": SettingsForm(initial={"review_mode": table.review_mode, "tie_rule": table.tie_rule})
            if can_manage
            else None,
        }
    )
    if bloc_access.is_officer_of(user, bloc.council_id):
        context["history"] = history_entries(table, limit=20)
    return render(request, "scoring/scoring_detail.html", context)


@require_POST
def table_create(request, pk: int, year: int):
    """Start the year's table, blank or copied from an earlier year's (its groups and criteria in order)."""
    bloc = _bloc_year(request.user, pk, year, access.can_edit_table)
    form = TableCreateForm(request.POST, bloc=bloc, year=year)
    back = reverse("scoring:scoring_detail", args=[bloc.pk, year])
    if not form.is_valid():
        messages.error(request, _("Choose the table to start from in the list."))
        return redirect(back)
    source = form.cleaned_data["copy_from"]
    pledge = bloc.pledges.filter(year=year).first()
    try:
        if source is not None:
            services.scoring_table_copy(source=source, year=year, pledge=pledge, by=request.user)
            messages.success(request, _("The table starts from the %(year)s table.") % {"year": source.year})
        else:
            services.scoring_table_create(bloc=bloc, year=year, pledge=pledge, by=request.user)
            messages.success(request, _("The table was started: add its groups and criteria."))
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(back)


@require_POST
def settings_save(request, pk: int):
    table = _table(request.user, pk, access.can_manage_scoring)
    form = SettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if form_attempt(
            form,
            lambda: services.scoring_settings_save(
                table=table, review_mode=data["review_mode"], tie_rule=data["tie_rule"], by=request.user
            ),
        )[0]:
            messages.success(request, _("The review and the tie rule were saved."))
            return redirect(_scoring_url(table))
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(_scoring_url(table))


# Groups and criteria -----------------------------------------------------------------------------------


def _line_page(request, table: ScoringTable, form, *, title: str, submit: str, intro: str = ""):
    return render(
        request,
        "scoring/form.html",
        {
            "bloc": table.bloc,
            "year": table.year,
            "table": table,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "back_url": _scoring_url(table),
        },
    )


def _confirmed_change(form) -> bool:
    return bool(form.cleaned_data.get("confirmed"))


@require_http_methods(["GET", "POST"])
def group_add(request, pk: int):
    table = _table(request.user, pk, access.can_edit_table)
    form = GroupForm(_posted(request), table=table)
    if form.is_valid():
        data = form.cleaned_data
        if form_attempt(
            form,
            lambda: services.group_add(
                table=table,
                name=data["name"],
                maximum=data["maximum"],
                by=request.user,
                confirmed=_confirmed_change(form),
            ),
        )[0]:
            messages.success(request, _("The group was added."))
            return redirect(_scoring_url(table))
    return _line_page(request, table, form, title=_("Add a group of criteria"), submit=_("Add"))


@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    group = _group(request.user, pk)
    table = group.table
    initial = {"name": group.name, "maximum": services.points_text(group.maximum).replace("−", "-")}
    form = GroupForm(_posted(request), table=table, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        if form_attempt(
            form,
            lambda: services.group_edit(
                group=group,
                name=data["name"],
                maximum=data["maximum"],
                by=request.user,
                confirmed=_confirmed_change(form),
            ),
        )[0]:
            messages.success(request, _("The group was saved."))
            return redirect(_scoring_url(table))
    return _line_page(
        request, table, form, title=_("Edit the group “%(name)s”") % {"name": group.name}, submit=_("Save")
    )


@require_http_methods(["GET", "POST"])
def group_remove(request, pk: int):
    group = _group(request.user, pk)
    table = group.table
    if not confirmed(request):
        consequences = [_("The group “%(name)s” and its criteria leave the table.") % {"name": group.name}]
        if table.is_open:
            consequences.append(_("Scores already entered for them are kept in the record, out of the totals."))
        return confirm_page(
            request,
            Confirmation(
                title=_("Remove the group “%(name)s”?") % {"name": group.name},
                consequences=consequences,
                back_url=_scoring_url(table),
            ),
        )
    try:
        services.group_remove(group=group, by=request.user, confirmed=True)
        messages.success(request, _("The group was removed."))
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(_scoring_url(table))


def _moved(ids: list[int], pk: int, direction: str) -> list[int]:
    index = ids.index(pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    return ids


@require_POST
def group_move(request, pk: int):
    group = _group(request.user, pk)
    table = group.table
    ids = list(table.groups.order_by("position", "id").values_list("pk", flat=True))
    try:
        services.groups_reorder(
            table=table, order=_moved(ids, group.pk, request.POST.get("direction", "")), by=request.user
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(_scoring_url(table) + f"#group-{group.pk}")


@require_http_methods(["GET", "POST"])
def criterion_add(request, pk: int):
    group = _group(request.user, pk)
    table = group.table
    form = CriterionForm(_posted(request), table=table)
    if form.is_valid():
        data = form.cleaned_data
        if form_attempt(
            form,
            lambda: services.criterion_add(
                group=group,
                text=data["text"],
                maximum=data["maximum"],
                kind=data["kind"],
                guide=data["guide"],
                by=request.user,
                confirmed=_confirmed_change(form),
            ),
        )[0]:
            messages.success(request, _("The criterion was added."))
            return redirect(_scoring_url(table) + f"#group-{group.pk}")
    return _line_page(
        request, table, form, title=_("Add a criterion to “%(group)s”") % {"group": group.name}, submit=_("Add")
    )


@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    criterion = _criterion(request.user, pk)
    table = criterion.group.table
    initial = {
        "text": criterion.text,
        "kind": criterion.kind,
        "maximum": services.points_text(criterion.maximum).replace("−", "-"),
        "guide": criterion.guide,
    }
    form = CriterionForm(_posted(request), table=table, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        if form_attempt(
            form,
            lambda: services.criterion_edit(
                criterion=criterion,
                text=data["text"],
                maximum=data["maximum"],
                kind=data["kind"],
                guide=data["guide"],
                by=request.user,
                confirmed=_confirmed_change(form),
            ),
        )[0]:
            messages.success(request, _("The criterion was saved."))
            return redirect(_scoring_url(table) + f"#group-{criterion.group_id}")
    return _line_page(request, table, form, title=_("Edit the criterion"), submit=_("Save"))


@require_http_methods(["GET", "POST"])
def criterion_remove(request, pk: int):
    criterion = _criterion(request.user, pk)
    table = criterion.group.table
    if not confirmed(request):
        consequences = [_("The criterion “%(text)s” leaves the table.") % {"text": criterion.text}]
        if table.is_open:
            consequences.append(_("Scores already entered for it are kept in the record, out of the totals."))
        return confirm_page(
            request,
            Confirmation(title=_("Remove the criterion?"), consequences=consequences, back_url=_scoring_url(table)),
        )
    try:
        services.criterion_remove(criterion=criterion, by=request.user, confirmed=True)
        messages.success(request, _("The criterion was removed."))
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(_scoring_url(table) + f"#group-{criterion.group_id}")


@require_POST
def criterion_move(request, pk: int):
    criterion = _criterion(request.user, pk)
    group = criterion.group
    ids = list(group.criteria.order_by("position", "id").values_list("pk", flat=True))
    try:
        services.criteria_reorder(
            group=group, order=_moved(ids, criterion.pk, request.POST.get("direction", "")), by=request.user
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(_scoring_url(group.table) + f"#group-{group.pk}")


# Opening and reviewers ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def scoring_open(request, pk: int):
    table = _table(request.user, pk, access.can_manage_scoring)
    if table.is_open:
        messages.info(request, _("Scoring of %(year)s is already open.") % {"year": table.year})
        return redirect(_scoring_url(table))
    if not confirmed(request):
        members = len(table.bloc.members(table.year))
        return confirm_page(
            request,
            Confirmation(
                title=_("Open scoring of %(year)s?") % {"year": table.year},
                consequences=[
                    _("Each of the %(count)s member units gets its score sheet and can fill in its self scores.")
                    % {"count": members},
                    _("Review: %(mode)s. Tie rule: %(rule)s.")
                    % {"mode": table.get_review_mode_display(), "rule": table.get_tie_rule_display()},
                    _("After opening, every change of the table asks for confirmation and keeps the scores entered."),
                ],
                back_url=_scoring_url(table),
            ),
        )
    try:
        services.scoring_open(table=table, by=request.user)
        messages.success(request, _("Scoring is open: the member units can fill in their sheets."))
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(_scoring_url(table))


@require_http_methods(["GET", "POST"])
def reviewers(request, pk: int):
    """Cross-review: who reviews whom. A proposed assignment fills the fields only when asked for
    (``?propose=1``), and is saved only when the user saves the form."""
    table = _table(request.user, pk, access.can_manage_scoring)
    units = [m.unit for m in table.bloc.members(table.year)]
    initial = {f"reviewer_{a.reviewed_id}": a.reviewer_id for a in table.assignments.all()}
    proposed = False
    if request.method == "GET" and request.GET.get("propose"):
        try:
            initial = {
                f"reviewer_{reviewed.pk}": reviewer.pk
                for reviewer, reviewed in services.review_assignment_propose(table=table)
            }
            proposed = True
        except ValidationError as error:
            errors_to_messages(request, error)
    form = AssignmentForm(_posted(request), units=units, initial=initial)
    if form.is_valid():
        if form_attempt(form, lambda: services.review_assignment_set(table=table, pairs=form.pairs(), by=request.user))[
            0
        ]:
            messages.success(request, _("The cross-review assignment was saved."))
            return redirect(_scoring_url(table))
    return render(
        request,
        "scoring/reviewers.html",
        {"bloc": table.bloc, "year": table.year, "table": table, "form": form, "proposed": proposed},
    )


# Sheets ------------------------------------------------------------------------------------------------


def _sheet_url(sheet: ScoreSheet) -> str:
    return reverse("scoring:sheet_detail", args=[sheet.pk])


@dataclass
class SheetRow:
    """A criterion's line on the sheet page: the criterion, its score (or None), evidence and fields."""

    criterion: Criterion
    score: Score | None
    evidence: list[ScoreEvidence]
    group_start: bool


@require_http_methods(["GET", "POST"])
def sheet_detail(request, pk: int):
    """A unit's sheet: every criterion with the unit's own score, note and evidence, and the review's score
    and reason. The unit edits its own scores while it may (draft or returned); its reviewer enters the
    review scores of a submitted sheet. Each form saves all or nothing."""
    user = request.user
    sheet = _sheet(user, pk)
    table = sheet.table
    criteria = sheet_criteria(table)
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(sheet=sheet).prefetch_related(
            Prefetch("evidence", queryset=ScoreEvidence.objects.order_by("uploaded_at", "id"))
        )
    }
    can_edit = access.can_edit_self_scores(user, sheet)
    can_review = access.can_review_sheet(user, sheet)
    self_form = (
        SelfScoresForm(
            request.POST if request.method == "POST" and "self" in request.POST else None,
            criteria=criteria,
            scores=scores,
        )
        if can_edit
        else None
    )
    review_form = (
        ReviewScoresForm(
            request.POST if request.method == "POST" and "review" in request.POST else None,
            criteria=criteria,
            scores=scores,
        )
        if can_review
        else None
    )
    if request.method == "POST":
        if self_form is not None and self_form.is_bound and self_form.is_valid():
            entries = {pk: services.SelfScoreInput(points, note) for pk, (points, note) in self_form.entries().items()}
            if form_attempt(self_form, lambda: services.self_scores_save(sheet=sheet, scores=entries, by=user))[0]:
                if request.POST.get("self") == "submit":
                    return redirect("scoring:sheet_submit", sheet.pk)
                messages.success(request, _("The self scores were saved as a draft."))
                return redirect(_sheet_url(sheet))
        elif review_form is not None and review_form.is_bound and review_form.is_valid():
            entries_r = {
                pk: services.ReviewScoreInput(points, reason) for pk, (points, reason) in review_form.entries().items()
            }
            if form_attempt(review_form, lambda: services.review_scores_save(sheet=sheet, scores=entries_r, by=user))[
                0
            ]:
                if request.POST.get("review") == "finish":
                    try:
                        services.sheet_review_finish(sheet=sheet, by=user)
                        messages.success(request, _("The review of the sheet is finished."))
                    except ValidationError as error:
                        errors_to_messages(request, error)
                else:
                    messages.success(request, _("The review scores were saved."))
                return redirect(_sheet_url(sheet))
        elif not (self_form and self_form.is_bound) and not (review_form and review_form.is_bound):
            raise PermissionDenied  # a POST of a form this user is not given
    rows = []
    previous_group = None
    for criterion in criteria:
        score = scores.get(criterion.pk)
        rows.append(
            SheetRow(
                criterion=criterion,
                score=score,
                evidence=list(score.evidence.all()) if score else [],
                group_start=criterion.group_id != previous_group,
            )
        )
        previous_group = criterion.group_id
    return render(
        request,
        "scoring/sheet_detail.html",
        {
            "bloc": table.bloc,
            "year": table.year,
            "table": table,
            "sheet": sheet,
            "rows": rows,
            "totals": sheet_totals(sheet),
            "self_form": self_form,
            "review_form": review_form,
            "evidence_form": EvidenceForm(criteria=criteria) if can_edit else None,
            "can_return": access.can_return_sheet(user, sheet),
            "can_review": can_review,
            "history": history_entries(sheet, limit=20),
        },
    )


@require_http_methods(["GET", "POST"])
def sheet_submit(request, pk: int):
    sheet = _sheet(request.user, pk, access.can_edit_self_scores)
    if not confirmed(request):
        totals = sheet_totals(sheet)
        consequences = [
            _("Self total: %(total)s points.") % {"total": services.points_text(totals.self_total)},
            _("After submitting, the unit's self scores no longer change unless the reviewer returns the sheet."),
        ]
        if totals.empty:
            consequences.insert(0, _("%(count)s criteria are not scored yet.") % {"count": len(totals.empty)})
        return confirm_page(
            request,
            Confirmation(
                title=_("Submit the score sheet of %(unit)s?") % {"unit": sheet.unit.display_name},
                consequences=consequences,
                back_url=_sheet_url(sheet),
            ),
        )
    try:
        services.sheet_submit(sheet=sheet, by=request.user)
        messages.success(request, _("The sheet was submitted for review."))
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(_sheet_url(sheet))


@require_http_methods(["GET", "POST"])
def sheet_return(request, pk: int):
    """Trả lại để chỉnh sửa: the reviewer returns the sheet to its unit with a reason."""
    sheet = _sheet(request.user, pk, access.can_return_sheet)
    form = ReasonForm(_posted(request))
    if form.is_valid():
        if form_attempt(
            form, lambda: services.sheet_return(sheet=sheet, reason=form.cleaned_data["reason"], by=request.user)
        )[0]:
            messages.success(
                request, _("The sheet was returned to %(unit)s for correction.") % {"unit": sheet.unit.display_name}
            )
            return redirect(_sheet_url(sheet))
    return render(
        request,
        "scoring/form.html",
        {
            "bloc": sheet.table.bloc,
            "year": sheet.table.year,
            "form": form,
            "title": _("Return the sheet of %(unit)s for correction") % {"unit": sheet.unit.display_name},
            "intro": _("The unit corrects its self scores and submits again; the review then starts again."),
            "submit": _("Return the sheet"),
            "back_url": _sheet_url(sheet),
        },
    )


@require_POST
def evidence_upload(request, pk: int):
    sheet = _sheet(request.user, pk, access.can_edit_self_scores)
    criteria = sheet_criteria(sheet.table)
    form = EvidenceForm(request.POST, request.FILES, criteria=criteria)
    if form.is_valid():
        criterion = next(c for c in criteria if c.pk == form.cleaned_data["criterion"])
        if form_attempt(
            form,
            lambda: services.score_evidence_attach(
                sheet=sheet, criterion=criterion, file=form.cleaned_data["file"], by=request.user
            ),
        )[0]:
            messages.success(request, _("The evidence was attached."))
            return redirect(_sheet_url(sheet) + f"#criterion-{criterion.pk}")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(_sheet_url(sheet) + "#evidence")


@require_safe
def evidence_download(request, pk: int):
    """Evidence, served only to those who may see the sheet (404 to anyone who may not see the bloc)."""
    evidence = get_object_or_404(
        ScoreEvidence.objects.select_related("score__sheet__table__bloc__council", "score__sheet__unit"), pk=pk
    )
    sheet = _sheet(request.user, evidence.score.sheet_id)
    extension = os.path.splitext(evidence.file.name)[1] or ".bin"
    filename = file_name_safe(f"MC-{sheet.table.bloc.code}-{sheet.table.year}-{sheet.unit.display_name}-{evidence.pk}")
    content_type = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[evidence.kind]
    response = stored_file_response(evidence.file, filename=filename + extension, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The ranking -------------------------------------------------------------------------------------------


def ranking_chart(rows: list[RankingRow], year: int) -> BarChart:
    """The final scores of the ranked units as a bar chart (server-rendered SVG, offline), in rank order;
    its numbers are the ranking table's (``#ranking``)."""
    ranked = [r for r in rows if r.rank is not None and r.final_score is not None]
    return bar_chart(
        key="ranking-chart",
        title=_("Final scores of the %(year)s ranking") % {"year": year},
        items=[
            (f"{r.rank}. {r.name}", float(r.final_score or 0), services.points_text(r.final_score or Decimal(0)))
            for r in ranked
        ],
        table_id="ranking",
    )


def _stored_rows(ranking: Ranking) -> list[RankingRow]:
    """The finalised entries as ranking rows (the unit's name as it was when finalised)."""
    rows = []
    for entry in ranking.entries.all():
        rows.append(
            RankingRow(
                unit=entry.unit,
                unit_name=entry.unit_name,
                position=entry.position,
                self_total=entry.self_total,
                review_total=entry.review_total,
                final_score=entry.final_score,
                rank=entry.rank,
                gap_to_next=entry.gap_to_next,
                joined_during_year=entry.joined_during_year,
                not_ranked=entry.not_ranked,
            )
        )
    return rows


@require_safe
def ranking_detail(request, pk: int, year: int):
    """The bloc-year's ranking: finalised (kept as it was), or, while scoring runs, the provisional one to
    whoever manages the year. Each unit's totals, final score, rank and gap to the next, a bar chart and
    the rules applied (the tie rule and who is not ranked and why)."""
    user = request.user
    bloc = _bloc_year(user, pk, year, access.can_read_scoring)
    table = _TABLES.filter(bloc=bloc, year=year).first()
    if table is not None:
        table.bloc = bloc
    ranking = ranking_stored(bloc, year)
    manages = bloc_access.can_manage_bloc_year(user, bloc, year)
    rows: list[RankingRow] = []
    provisional = False
    if ranking is not None and (ranking.is_final or not (table and table.is_open)):
        rows = _stored_rows(ranking)
    elif table is not None and table.is_open and manages:
        rows = ranking_compute(table=table)
        provisional = True
    tie_rule = ranking.tie_rule if ranking is not None and not provisional else (table.tie_rule if table else "")
    context = {
        "bloc": bloc,
        "year": year,
        "table": table,
        "ranking": ranking,
        "rows": rows,
        "provisional": provisional,
        "chart": ranking_chart(rows, year),
        "tie_rule_label": ScoringTable.TieRule(tie_rule).label if tie_rule else "",
        "can_finalise": table is not None and table.is_open and access.can_finalise_ranking(user, bloc, year),
        "can_reopen": ranking is not None and access.can_reopen_ranking(user, bloc, year),
        "can_enter": not (table and table.is_open) and access.can_enter_ranking_directly(user, bloc, year),
        "manages": manages,
    }
    if ranking is not None and bloc_access.is_officer_of(user, bloc.council_id):
        context["history"] = history_entries(ranking, limit=20)
    return render(request, "scoring/ranking_detail.html", context)


@require_http_methods(["GET", "POST"])
def ranking_finalise(request, pk: int):
    """Chốt kết quả: the chair (or an officer) stores the computed ranking as final and locks the year."""
    table = _table(request.user, pk, access.can_finalise_ranking)
    back = _ranking_url(table.bloc_id, table.year)
    if not confirmed(request):
        rows = ranking_compute(table=table)
        ranked = sum(1 for r in rows if r.rank is not None)
        return confirm_page(
            request,
            Confirmation(
                title=_("Finalise the %(year)s ranking?") % {"year": table.year},
                consequences=[
                    _("%(ranked)s of %(count)s units are ranked; the others are listed as not ranked with the reason.")
                    % {"ranked": ranked, "count": len(rows)},
                    _(
                        "The ranking is kept as it is now, and nothing of the year's scoring changes until an officer "
                        "reopens it."
                    ),
                ],
                back_url=back,
            ),
        )
    try:
        services.ranking_finalise(table=table, by=request.user)
        access.forget_lock(table.bloc)
        messages.success(request, _("The ranking is final."))
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(back)


@require_http_methods(["GET", "POST"])
def ranking_reopen(request, pk: int):
    """Mở lại: an officer reopens a final ranking with a reason, which the history keeps."""
    ranking = get_object_or_404(Ranking.objects.select_related("bloc__council"), pk=pk)
    if not bloc_access.can_view_bloc(request.user, ranking.bloc):
        raise Http404
    if not access.can_reopen_ranking(request.user, ranking.bloc, ranking.year):
        raise PermissionDenied
    back = _ranking_url(ranking.bloc_id, ranking.year)
    form = ReasonForm(_posted(request))
    if form.is_valid():
        if form_attempt(
            form, lambda: services.ranking_reopen(ranking=ranking, reason=form.cleaned_data["reason"], by=request.user)
        )[0]:
            messages.success(request, _("The ranking was reopened."))
            return redirect(back)
    return render(
        request,
        "scoring/form.html",
        {
            "bloc": ranking.bloc,
            "year": ranking.year,
            "form": form,
            "title": _("Reopen the %(year)s ranking") % {"year": ranking.year},
            "intro": _("The year's scoring can change again; the ranking is final again once finalised anew."),
            "submit": _("Reopen"),
            "back_url": back,
        },
    )


@require_http_methods(["GET", "POST"])
def ranking_enter(request, pk: int, year: int):
    """A ranking decided outside the portal, entered as ranks (and scores where known), marked as such."""
    bloc = _bloc_year(request.user, pk, year, access.can_enter_ranking_directly)
    back = _ranking_url(bloc.pk, year)
    units = [m.unit for m in bloc.members(year)]
    stored = ranking_stored(bloc, year)
    form = DirectRankingForm(
        _posted(request),
        units=units,
        stored=_stored_rows(stored) if stored is not None else (),
        initial={"note": stored.note} if stored is not None else None,
    )
    if form.is_valid():
        entries = [services.DirectEntry(unit_id=u, rank=r, score=s) for u, r, s in form.entries()]
        if form_attempt(
            form,
            lambda: services.ranking_enter_directly(
                bloc=bloc, year=year, entries=entries, note=form.cleaned_data["note"], by=request.user
            ),
        )[0]:
            access.forget_lock(bloc)
            messages.success(request, _("The ranking was recorded as entered directly."))
            return redirect(back)
    return render(
        request,
        "scoring/ranking_enter.html",
        {"bloc": bloc, "year": year, "form": form, "units": units, "back_url": back},
    )
