"""The Board's pages: the review queue and its actions, decisions and their corrections, and the
council-wide list of awards (page, Excel, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from blocs import access
from blocs.history import history_entries
from blocs.models import Bloc
from blocs.web import attach_errors, paginate, query_int, query_year, sorting, xlsx_response
from documents.jobs import file_job_start
from documents.services import issuer_key

from .. import excel, forms, printing, selectors, services
from ..models import AwardType, Decision, Proposal
from .common import Status, _officer_council, _proposal, _refused, _safe_next, _with_findings, _with_links

# The council-wide list and its exports show what the council has in hand, unless a status is chosen.
LIST_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.DECIDED)


def _review_action(request, pk: int, action: str):
    proposal = _proposal(request, pk, review=True)
    reason = request.POST.get("reason", "")  # the services say when it is missing
    try:
        if action == "return":
            services.proposal_return(proposal=proposal, reason=reason, by=request.user)
            messages.success(request, _("The proposal was returned to the bloc."))
        elif action == "approve":
            services.proposal_approve(proposal=proposal, by=request.user)
            messages.success(request, _("The proposal was approved; it waits for a decision."))
        else:
            services.proposal_reject(proposal=proposal, reason=reason, by=request.user)
            messages.success(request, _("The proposal was rejected."))
    except ValidationError as error:
        _refused(request, error)
    return redirect(request.POST.get("next") if _safe_next(request) else proposal.get_absolute_url())


@require_POST
def proposal_return(request, pk: int):
    return _review_action(request, pk, "return")


@require_POST
def proposal_approve(request, pk: int):
    return _review_action(request, pk, "approve")


@require_POST
def proposal_reject(request, pk: int):
    return _review_action(request, pk, "reject")


# The review queue's columns that sort (blocs.web.sorting); without ?sort= the selector's order stands
# (newest year, then bloc and award type), which is what "-year" leads with.
QUEUE_SORTS = {
    "year": ("year",),
    "bloc": ("bloc__sort_name",),
    "award_type": ("award_type__order", "award_type__name"),
    "recipient": ("unit__sort_name", "person__sort_name", "collective_name"),
    "status": ("status",),
}


@require_safe
def review_queue(request):
    """Proposals of the council's blocs (submitted ones by default) with filters, late blocs flagged."""
    council = _officer_council(request)
    return _queue_page(request, council, bulk=forms.ReviewManyForm())


def _queue_page(request, council, *, bulk, status: int = 200):
    """The queue for the request's GET filters, with the bulk form (shown again with its errors after a
    refused bulk action: the ticked boxes stay ticked)."""
    filters = forms.ReviewFilterForm(request.GET or None, council=council)
    year = filters.value("year")
    state = filters.value("status")
    if not state and "status" not in request.GET:  # the queue proper: what waits for review (page links keep it)
        state = Status.SUBMITTED
    proposals = selectors.review_queue(
        council=council, year=year, bloc=filters.value("bloc"), award_type=filters.value("award_type"), status=state
    )
    order = sorting(request, QUEUE_SORTS, default="-year")
    if "sort" in request.GET:
        proposals = proposals.order_by(*order.order_by)
    page = paginate(request, proposals)
    rows = _with_findings(list(page.object_list))
    _with_links(rows)

    # Lateness (selectors.Lateness says what is true): a row says how late it was first submitted; the
    # banner lists the bloc-years that still owe something after a deadline that has passed.
    years = sorted({year} if year else {council.current_year - 1, council.current_year} | {p.year for p in rows})
    lateness = selectors.submission_lateness(council=council, years=years)
    first = selectors.first_submitted_on(proposals=rows)
    for proposal in rows:
        proposal.days_late = lateness.days_late(
            bloc_id=proposal.bloc_id, year=proposal.year, submitted_on=first.get(proposal.pk)
        )
    banner_years = {year} if year else {council.current_year - 1, council.current_year}
    lateness.deadlines = {y: d for y, d in lateness.deadlines.items() if y in banner_years}
    lateness.bloc_deadlines = {k: d for k, d in lateness.bloc_deadlines.items() if k[1] in banner_years}
    blocs = list(Bloc.objects.filter(council=council, active=True).order_by("sort_name"))
    missing = lateness.late_blocs(blocs=blocs, today=timezone.localdate())
    selected = set(bulk.cleaned_data.get("proposals", [])) if bulk.is_bound and hasattr(bulk, "cleaned_data") else set()
    return render(
        request,
        "awards/review_queue.html",
        {
            "council": council,
            "filters": filters,
            "page": page,
            "status": state,
            "late_blocs": missing,
            "next": request.get_full_path(),
            "bulk": bulk,
            "selected": selected,
            "reviewable": any(p.status == Status.SUBMITTED for p in rows),
            "sorting": order,
        },
        status=status,
    )


@require_POST
def review_many(request):
    """Approve, or return with one reason, the proposals ticked in the queue: all of them or none.

    Officers of the council only (``blocs.access``): anyone else gets a 404, and so does a selection naming
    a proposal the officer may not review (another council's, posted by hand), changing nothing.
    """
    council = _officer_council(request)
    bulk = forms.ReviewManyForm(request.POST)
    if not bulk.is_valid():
        return _queue_page(request, council, bulk=bulk)
    ids = bulk.cleaned_data["proposals"]
    proposals = list(Proposal.objects.filter(pk__in=ids).with_related())
    if len(proposals) != len(ids) or not all(access.is_officer_of(request.user, p.council_id) for p in proposals):
        raise Http404
    order = {pk: index for index, pk in enumerate(ids)}
    proposals.sort(key=lambda p: order[p.pk])
    action = bulk.cleaned_data["action"]
    try:
        done = services.proposal_review_many(
            proposals=proposals, action=action, reason=bulk.cleaned_data["reason"], by=request.user, council=council
        )
    except ValidationError as error:
        attach_errors(bulk, error)
        return _queue_page(request, council, bulk=bulk)
    count = len(done)
    if action == "approve":
        text = ngettext(
            "%(count)s proposal was approved; it waits for a decision.",
            "%(count)s proposals were approved; they wait for a decision.",
            count,
        )
    else:
        text = ngettext(
            "%(count)s proposal was returned to its bloc.", "%(count)s proposals were returned to their blocs.", count
        )
    messages.success(request, text % {"count": count})
    return redirect(request.POST.get("next") if _safe_next(request) else "awards:review_queue")


DECISION_SORTS = {
    "number": ("number",),
    "date": ("date",),
    "signer": ("signer",),
    "count": ("count",),
}


@require_safe
def decision_list(request):
    council = _officer_council(request)
    order = sorting(request, DECISION_SORTS, default="-date")
    decisions = Decision.objects.filter(council=council).annotate(count=Count("proposals")).order_by(*order.order_by)
    return render(
        request,
        "awards/decision_list.html",
        {"page": paginate(request, decisions), "council": council, "sorting": order},
    )


def decision_create(request):
    """Record a decision covering many approved proposals (filter them by year and award type)."""
    council = _officer_council(request)
    queryset = Proposal.objects.of_council(council).filter(status=Status.APPROVED).with_related()
    year = query_year(request, None)
    if year:
        queryset = queryset.filter(year=year)
    award_type = query_int(request, "award_type")
    if award_type:
        queryset = queryset.filter(award_type_id=award_type)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        queryset = selectors.proposals_matching(queryset, search)
    queryset = queryset.order_by("award_type__order", "bloc__sort_name", "id")
    form = forms.DecisionForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_record(
                council=council,
                number=data["number"],
                date=data["date"],
                signer=data["signer"],
                proposals=list(data["proposals"]),
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Decision %(number)s was recorded.") % {"number": decision.number})
            return redirect(decision)
    return render(
        request,
        "awards/decision_form.html",
        {
            "form": form,
            "council": council,
            "types": AwardType.objects.filter(council=council),
            "year": year,
            "search": search,
        },
    )


def _decision(request, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("council"), pk=pk)
    if not access.is_officer_of(request.user, decision.council_id):
        raise Http404
    return decision


@require_safe
def decision_detail(request, pk: int):
    decision = _decision(request, pk)
    form = forms.DecisionCorrectForm(
        initial={"number": decision.number, "date": decision.date, "signer": decision.signer}
    )
    return _decision_page(request, decision, form)


def _decision_page(request, decision, form, status=200):
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "proposals": decision.proposals.with_related().order_by("award_type__order", "id"),
            "corrections": decision.corrections.select_related("by"),
            "form": form,
            "history": history_entries(decision),
        },
        status=status,
    )


@require_POST
def decision_correct(request, pk: int):
    decision = _decision(request, pk)
    form = forms.DecisionCorrectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_correct(
                decision=decision,
                reason=data["reason"],
                by=request.user,
                number=data["number"],
                date=data["date"],
                signer=data["signer"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect(decision)
    return _decision_page(request, decision, form)


def _list_filters(request, council) -> dict:
    """The list's filters of the request: year (default: last year), statuses, bloc, type (JSON-ready, as a
    background job keeps them)."""
    return {
        "year": query_year(request, council.current_year - 1),
        "statuses": [s for s in request.GET.getlist("status") if s in Status.values] or list(LIST_STATUSES),
        "bloc_id": query_int(request, "bloc"),
        "award_type_id": query_int(request, "award_type"),
    }


# The page's orders inside each award type's group (the groups keep the catalogue's order). The default,
# "number", is the order the exports print and number (by entry: the id, the tie-breaker of every key).
AWARD_LIST_SORTS: dict[str, tuple[str, ...]] = {
    "number": (),
    "recipient": ("unit__sort_name", "person__sort_name", "collective_name"),
    "bloc": ("bloc__sort_name", "unit__sort_name"),
    "status": ("status", "bloc__sort_name", "unit__sort_name"),
    "decision": ("decision__date", "decision__number", "conference_date"),
}


def _list_query(request, council):
    """The list's proposals for the request's filters."""
    filters = _list_filters(request, council)
    return filters["year"], filters["statuses"], selectors.council_award_list(council=council, **filters)


@require_safe
def award_list(request):
    council = _officer_council(request)
    year, statuses, proposals = _list_query(request, council)
    order = sorting(
        request, AWARD_LIST_SORTS, default="number", tie_breaker="id", first=("award_type__order", "award_type_id")
    )
    # The exports take every proposal of the filters (without ?page=); the page shows one page of them.
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode() or urlencode({"year": year})
    page = paginate(request, proposals.order_by(*order.order_by))
    return render(
        request,
        "awards/award_list.html",
        {
            "council": council,
            "year": year,
            "statuses": statuses,
            "status_choices": Status.choices,
            "page": page,
            "groups": printing.group_by_type(page.object_list, ordered=True),
            "blocs": Bloc.objects.filter(council=council).order_by("sort_name"),
            "types": AwardType.objects.filter(council=council),
            "query": query,
            "sorting": order,
            "years": range(council.current_year - 4, council.current_year + 1),
        },
    )


@require_safe
def award_list_xlsx(request):
    council = _officer_council(request)
    year, statuses, proposals = _list_query(request, council)
    content = excel.award_list_workbook(council=council, year=year, proposals=list(proposals))
    return xlsx_response(content, filename=excel.award_list_filename(council=council, year=year))


def _award_list_job(request, *, kind: str, title: str):
    """Start a background job (documents.jobs) making the award list for the page's filters, and send the
    officer to its page: a long list renders for seconds."""
    council = _officer_council(request)
    filters = _list_filters(request, council)
    job = file_job_start(
        kind=kind,
        title=title % {"year": filters["year"]},
        subject=issuer_key("council", council.pk),
        params=filters,
        by=request.user,
    )
    return redirect("blocs:file_job", pk=job.pk)


@require_POST
def award_list_pdf(request):
    """Start the PDF of the award list for the page's filters."""
    return _award_list_job(request, kind="awards.jobs.award_list_pdf_make", title=_("Award list %(year)s (PDF)"))


@require_POST
def award_list_docx(request):
    """Start the Word file of the award list for the page's filters (the same content as the PDF)."""
    return _award_list_job(request, kind="awards.jobs.award_list_docx_make", title=_("Award list %(year)s (Word)"))
