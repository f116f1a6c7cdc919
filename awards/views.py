"""Pages of the awards app. Thin: parse the form, check permission (``blocs.access``), call a service,
redirect with a message. A service's refusal (``ValidationError``) becomes form errors or a message and
changes nothing.

Who may do what (DESIGN section 3): officers of the council review, return, approve, reject and decide,
and keep the catalogue, rules and deadlines; the chair and vice-chairs of year Y manage Y's proposals
until decided (``can_manage_bloc_year``), even after Y+1's seats exist; members read the proposals of
the years they were members and register their own unit's titles. Anyone else gets a 404 for a bloc they
do not belong to; a known user without the right to change something gets a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from blocs import access
from blocs.history import history_entries
from blocs.models import Bloc, Unit
from blocs.web import (
    ID_MAX,
    attach_errors,
    bloc_year_or_404,
    bloc_years_around,
    int_or_none,
    paginate,
    query_int,
    query_year,
)
from documents.render import file_name_safe, render_pdf
from documents.services import number_format

from . import excel, forms, printing, selectors, services
from .models import AwardRule, AwardType, Decision, Person, Proposal, Registration, Submission, SubmissionDeadline
from .rules import findings_summary, proposals_check

Status = Proposal.Status
# The council-wide list and its exports show what the council has in hand, unless a status is chosen.
LIST_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.DECIDED)


# ------------------------------------------------------------------------------------------------------
# Guards: one way to fetch each guarded object
# ------------------------------------------------------------------------------------------------------


def _bloc_year(request, pk: int, year: int, *, manage: bool = False) -> Bloc:
    """The bloc, if the user may read its ``year`` (404 otherwise, and for a year that is not one of the
    bloc's: ``bloc_year_or_404``); with ``manage``, 403 unless the user manages that year (officers, the
    year's chair and vice-chairs)."""
    bloc = access.bloc_for_viewing(request.user, pk)
    bloc_year_or_404(bloc, year)
    if not access.can_read_bloc_year(request.user, bloc, year):
        raise Http404
    if manage and not access.can_manage_bloc_year(request.user, bloc, year):
        raise PermissionDenied
    return bloc


def _proposal(request, pk: int, *, manage: bool = False, review: bool = False) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.with_related().select_related("council", "bloc__council", "person__unit"), pk=pk
    )
    user = request.user
    if proposal.bloc_id is None:
        # Entered from outside without a bloc: the Board's record.
        if not access.is_officer_of(user, proposal.council_id):
            raise Http404
    elif not access.can_read_bloc_year(user, proposal.bloc, proposal.year):
        raise Http404
    if manage and not (proposal.bloc_id and access.can_manage_bloc_year(user, proposal.bloc, proposal.year)):
        raise PermissionDenied
    if review and not access.is_officer_of(user, proposal.council_id):
        raise PermissionDenied
    return proposal


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(str(m) for m in error.messages))


def _officer_council(request):
    return access.council_for_officer(request.user)


# ------------------------------------------------------------------------------------------------------
# Overview
# ------------------------------------------------------------------------------------------------------


@require_safe
def index(request):
    """Where award work starts: the user's blocs with links to their years' proposals, and officer tools."""
    user = request.user
    blocs = list(
        access.visible_blocs(user).filter(active=True).select_related("council").order_by("council__name", "sort_name")
    )
    rows = []
    counts = {
        (bloc_id, year): n
        for bloc_id, year, n in Proposal.objects.filter(bloc__in=blocs, source=Proposal.Source.PORTAL)
        .values_list("bloc_id", "year")
        .annotate(n=Count("id"))
    }
    for bloc in blocs:
        current = bloc.council.current_year
        years = [y for y in (current, current - 1) if access.can_read_bloc_year(user, bloc, y)]
        if years:
            rows.append({"bloc": bloc, "years": [(y, counts.get((bloc.pk, y), 0)) for y in years]})
    return render(request, "awards/index.html", {"rows": rows, "is_officer": access.is_officer(user)})


# ------------------------------------------------------------------------------------------------------
# Catalogue, rules and deadlines (officers)
# ------------------------------------------------------------------------------------------------------


@require_safe
def catalogue(request):
    council = _officer_council(request)
    types = AwardType.objects.filter(council=council).prefetch_related(
        Prefetch(
            "rules",
            queryset=AwardRule.objects.select_related("bloc", "requires_type").order_by(
                "kind", "bloc__sort_name", "id"
            ),
        )
    )
    return render(request, "awards/catalogue.html", {"council": council, "types": types})


def type_create(request):
    council = _officer_council(request)
    form = forms.AwardTypeForm(request.POST or None, council=council)
    return _type_form(request, form, _("New award type"))


def type_edit(request, pk: int):
    council = _officer_council(request)
    award_type = get_object_or_404(AwardType, pk=pk, council=council)
    form = forms.AwardTypeForm(request.POST or None, instance=award_type, council=council)
    return _type_form(request, form, _("Edit %(name)s") % {"name": award_type.name}, award_type=award_type)


def _type_form(request, form, title, award_type=None):
    if request.method == "POST" and form.is_valid():
        try:
            services.award_type_save(award_type=form.instance, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The award type was saved."))
            return redirect("awards:catalogue")
    context = {"form": form, "title": title, "back_url": reverse("awards:catalogue")}
    if award_type is not None:
        context["history"] = history_entries(award_type)
    return render(request, "awards/form.html", context)


def rule_create(request, pk: int):
    council = _officer_council(request)
    award_type = get_object_or_404(AwardType, pk=pk, council=council)
    form = forms.AwardRuleForm(request.POST or None, award_type=award_type)
    return _rule_form(request, form, award_type, _("New rule for %(type)s") % {"type": award_type.name})


def rule_edit(request, pk: int):
    council = _officer_council(request)
    rule = get_object_or_404(AwardRule.objects.select_related("award_type"), pk=pk, award_type__council=council)
    form = forms.AwardRuleForm(request.POST or None, instance=rule, award_type=rule.award_type)
    return _rule_form(request, form, rule.award_type, _("Rule of %(type)s") % {"type": rule.award_type.name}, rule=rule)


def _rule_form(request, form, award_type, title, rule=None):
    if request.method == "POST" and form.is_valid():
        try:
            services.award_rule_save(rule=form.instance, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The rule was saved."))
            return redirect(reverse("awards:catalogue") + f"#type-{award_type.pk}")
    context = {"form": form, "title": title, "back_url": reverse("awards:catalogue"), "rule_form": True}
    if rule is not None:
        context["history"] = history_entries(rule)
    return render(request, "awards/form.html", context)


@require_POST
def rule_delete(request, pk: int):
    council = _officer_council(request)
    rule = get_object_or_404(AwardRule, pk=pk, award_type__council=council)
    services.award_rule_delete(rule=rule, by=request.user)
    messages.success(request, _("The rule was deleted."))
    return redirect("awards:catalogue")


def deadlines(request):
    council = _officer_council(request)
    form = forms.DeadlineForm(request.POST or None, initial={"year": council.current_year})
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_set(council=council, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The deadline for %(year)s was saved.") % {"year": form.cleaned_data["year"]})
            return redirect("awards:deadlines")
    items = SubmissionDeadline.objects.filter(council=council).order_by("-year")
    return render(request, "awards/deadlines.html", {"form": form, "items": items, "council": council})


# ------------------------------------------------------------------------------------------------------
# A bloc-year's proposals (the chair's page)
# ------------------------------------------------------------------------------------------------------


def _with_findings(proposals: list[Proposal]) -> list[Proposal]:
    """Attach each proposal's live findings and their counts (a fixed number of queries for the lot)."""
    findings = proposals_check(proposals=proposals)
    for proposal in proposals:
        proposal.findings = findings[proposal.pk]
        proposal.finding_counts = findings_summary(proposal.findings)
    return proposals


@require_safe
def bloc_year(request, pk: int, year: int):
    bloc = _bloc_year(request, pk, year)
    user = request.user
    proposals = _with_findings(
        list(
            Proposal.objects.of_bloc_year(bloc, year)
            .with_related()
            .order_by("award_type__order", "award_type_id", "id")
        )
    )
    can_manage = access.can_manage_bloc_year(user, bloc, year)
    submittable = [p for p in proposals if p.is_editable and not p.award_type.is_bloc_issued]
    bloc_drafts = [p for p in proposals if p.status == Status.DRAFT and p.award_type.is_bloc_issued]
    members = bloc.memberships.covering(year).count()
    context = {
        "bloc": bloc,
        "year": year,
        "proposals": proposals,
        "members": members,
        "seats": list(bloc.seats_of(year)),
        "can_manage": can_manage,
        "is_officer": access.is_officer_of(user, bloc.council_id),
        "submittable": submittable,
        "bloc_drafts": bloc_drafts,
        "submissions": list(bloc.award_submissions.filter(year=year).select_related("document").order_by("sequence")),
        "registration_count": Registration.objects.filter(bloc=bloc, year=year).count(),
        "deadline": SubmissionDeadline.objects.filter(council=bloc.council_id, year=year).first(),
        "years": bloc_years_around(bloc, year, before=3, after=1),
    }
    return render(request, "awards/bloc_year.html", context)


def _save_proposal_from_form(request, form, *, bloc: Bloc, year: int, proposal: Proposal | None) -> Proposal:
    """The proposal form's data through the services: the person (if any) and the proposal, together."""
    data = form.cleaned_data
    recipient = data["recipient"]
    with transaction.atomic():
        person = None
        if recipient == forms.RECIPIENT_PERSON:
            person = services.person_get_or_create(
                unit=data["unit"], name=data["person_name"], position=data["person_position"], by=request.user
            )
        return services.proposal_save(
            bloc=bloc,
            year=year,
            award_type=data["award_type"],
            unit=data["unit"],
            collective_name=data["collective_name"] if recipient == forms.RECIPIENT_COLLECTIVE else "",
            person=person,
            summary=data["summary"],
            award_reason=data["award_reason"],
            tally=services.Tally(
                members_present=data["members_present"],
                ballots_cast=data["ballots_cast"],
                votes_for=data["votes_for"],
                acclamation=bool(data["acclamation"]),
            ),
            achievement_report=data.get("achievement_report"),
            proposal=proposal,
            new=proposal is None,  # the "new proposal" form never overwrites one it did not show
            by=request.user,
        )


def proposal_create(request, pk: int, year: int):
    bloc = _bloc_year(request, pk, year, manage=True)
    form = forms.ProposalForm(request.POST or None, request.FILES or None, bloc=bloc, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = _save_proposal_from_form(request, form, bloc=bloc, year=year, proposal=None)
        except ValidationError as error:
            _attach_or_top(form, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect(proposal)
    return render(
        request,
        "awards/proposal_form.html",
        {"form": form, "bloc": bloc, "year": year, "title": _("New proposal for %(year)s") % {"year": year}},
    )


def proposal_edit(request, pk: int):
    proposal = _proposal(request, pk, manage=True)
    if not proposal.is_editable:
        messages.error(
            request,
            _("This proposal is “%(status)s”: it can no longer be changed.")
            % {"status": proposal.get_status_display()},
        )
        return redirect(proposal)
    bloc, year = proposal.bloc, proposal.year
    form = forms.ProposalForm(request.POST or None, request.FILES or None, bloc=bloc, year=year, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            _save_proposal_from_form(request, form, bloc=bloc, year=year, proposal=proposal)
        except ValidationError as error:
            _attach_or_top(form, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect(proposal)
    return render(
        request,
        "awards/proposal_form.html",
        {"form": form, "bloc": bloc, "year": year, "proposal": proposal, "title": _("Edit the proposal")},
    )


def _attach_or_top(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        attach_errors(form, error)
    else:
        for message in error.messages:
            form.add_error(None, message)


@require_safe
def proposal_detail(request, pk: int):
    proposal = _proposal(request, pk)
    user = request.user
    bloc = proposal.bloc
    can_manage = bool(bloc) and access.can_manage_bloc_year(user, bloc, proposal.year)
    is_officer = access.is_officer_of(user, proposal.council_id)
    (proposal,) = _with_findings([proposal])
    context = {
        "proposal": proposal,
        "bloc": bloc,
        "events": proposal.events.select_related("by", "submission", "decision"),
        "can_manage": can_manage,
        "can_edit": can_manage and proposal.is_editable,
        "is_officer": is_officer,
        "can_review": is_officer and proposal.status == Status.SUBMITTED,
        "can_reject": is_officer and proposal.status in (Status.SUBMITTED, Status.APPROVED),
    }
    if is_officer:
        context["history"] = history_entries(proposal)
    return render(request, "awards/proposal_detail.html", context)


@require_POST
def proposal_delete(request, pk: int):
    proposal = _proposal(request, pk, manage=True)
    bloc, year = proposal.bloc, proposal.year
    try:
        services.proposal_delete(proposal=proposal, by=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect(proposal)
    messages.success(request, _("The draft proposal was deleted."))
    return redirect("awards:bloc_year", bloc.pk, year)


@require_POST
def proposal_reason(request, pk: int):
    """Write the reason for one warning of a proposal (needed before it can be submitted)."""
    proposal = _proposal(request, pk, manage=True)
    form = forms.WarningReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason could not be read; try again."))
        return redirect(proposal)
    try:
        services.proposal_reason_set(
            proposal=proposal, key=form.cleaned_data["key"], reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The reason was saved."))
    return redirect(proposal)


@require_safe
def proposal_report(request, pk: int):
    """The attached achievement report, for whoever may read the proposal."""
    proposal = _proposal(request, pk)
    if not proposal.achievement_report:
        raise Http404
    try:
        handle = proposal.achievement_report.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, filename=proposal.achievement_report.name.rsplit("/", 1)[-1])


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


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


@require_POST
def proposal_return(request, pk: int):
    return _review_action(request, pk, "return")


@require_POST
def proposal_approve(request, pk: int):
    return _review_action(request, pk, "approve")


@require_POST
def proposal_reject(request, pk: int):
    return _review_action(request, pk, "reject")


# ------------------------------------------------------------------------------------------------------
# Submissions and the bloc's own awards
# ------------------------------------------------------------------------------------------------------


def _submittable(bloc: Bloc, year: int):
    return (
        Proposal.objects.of_bloc_year(bloc, year)
        .filter(status__in=Proposal.EDITABLE)
        .exclude(award_type__authority=AwardType.Authority.BLOC)
        .with_related()
        .order_by("award_type__order", "id")
    )


@transaction.non_atomic_requests  # the cover letter is rendered after the submission is committed
def submission_create(request, pk: int, year: int):
    """Choose the ready proposals, check the dossier, submit them, issue the cover letter."""
    bloc = _bloc_year(request, pk, year, manage=True)
    queryset = _submittable(bloc, year)
    form = forms.SubmitForm(request.POST or None, queryset=queryset)
    candidates = _with_findings(list(queryset))
    problems = services.submission_problems(bloc=bloc, year=year, proposals=candidates) if candidates else []
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                bloc=bloc, year=year, proposals=list(form.cleaned_data["proposals"]), by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(count)s proposals were submitted.") % {"count": len(form.cleaned_data["proposals"])},
            )
            _issue_cover(request, submission)
            return redirect(submission)
    return render(
        request,
        "awards/submission_form.html",
        {"bloc": bloc, "year": year, "form": form, "candidates": candidates, "problems": problems},
    )


def _issue_cover(request, submission: Submission) -> None:
    try:
        document = services.submission_cover_issue(submission=submission, by=request.user)
    except services.CoverLetterUnavailable:
        if submission.pdf_error:
            messages.error(
                request, _("The cover letter could not be rendered, so no number was taken. Issue it again below.")
            )
        else:  # another request (a double click) is issuing it right now
            messages.info(request, _("The cover letter is being issued right now; reload the page in a moment."))
    else:
        messages.success(
            request, _("The cover letter was issued as No. %(number)s.") % {"number": document.number_text}
        )


@require_safe
def submission_detail(request, pk: int):
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document", "created_by"), pk=pk)
    bloc = _bloc_year(request, submission.bloc_id, submission.year)
    proposals = list(
        Proposal.objects.filter(events__submission=submission)
        .distinct()
        .with_related()
        .order_by("award_type__order", "id")
    )
    deadline = SubmissionDeadline.objects.filter(council=bloc.council_id, year=submission.year).first()
    return render(
        request,
        "awards/submission_detail.html",
        {
            "submission": submission,
            "bloc": bloc,
            "proposals": proposals,
            "deadline": deadline,
            "late": bool(deadline and submission.submitted_on > deadline.deadline),
            "can_manage": access.can_manage_bloc_year(request.user, bloc, submission.year),
        },
    )


@require_safe
@transaction.non_atomic_requests
def submission_cover_pdf(request, pk: int):
    """The cover letter: the issued PDF once issued, a preview with "Số: …/TTr-KTĐ6" before."""
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document"), pk=pk)
    _bloc_year(request, submission.bloc_id, submission.year)
    if submission.cover_letter_id:
        return redirect("blocs:issued_document_download", submission.cover_letter_id)
    context = printing.cover_letter_context(submission=submission)
    context["number_text"] = number_format(
        number=None, doc_type=printing.COVER_LETTER_TYPE, issuer_code=submission.bloc.code
    )
    context["draft"] = True
    pdf = render_pdf(printing.COVER_LETTER_TEMPLATE, context, request=request)
    return _pdf_response(pdf, f"TTr-{submission.bloc.code}-{submission.year}-{submission.sequence}")


@require_POST
@transaction.non_atomic_requests
def submission_cover_issue(request, pk: int):
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document"), pk=pk)
    _bloc_year(request, submission.bloc_id, submission.year, manage=True)
    if submission.cover_letter_id:
        messages.info(request, _("The cover letter is already issued."))
    else:
        _issue_cover(request, submission)
    return redirect(submission)


def bloc_award_decide(request, pk: int, year: int):
    """The chair records the bloc's own awards as decided at the conference (no Board review)."""
    bloc = _bloc_year(request, pk, year, manage=True)
    queryset = (
        Proposal.objects.of_bloc_year(bloc, year)
        .filter(status=Status.DRAFT, award_type__authority=AwardType.Authority.BLOC)
        .with_related()
        .order_by("award_type__order", "id")
    )
    form = forms.BlocAwardDecideForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            decided = services.bloc_award_decide(
                proposals=list(form.cleaned_data["proposals"]),
                conference_date=form.cleaned_data["conference_date"],
                by=request.user,
            )
        except ValidationError as error:
            _attach_or_top(form, error)
        else:
            messages.success(
                request, _("%(count)s awards of the bloc were recorded as decided.") % {"count": len(decided)}
            )
            return redirect("awards:bloc_year", bloc.pk, year)
    return render(
        request,
        "awards/form.html",
        {
            "form": form,
            "title": _("The bloc's own awards decided at the conference"),
            "back_url": reverse("awards:bloc_year", args=[bloc.pk, year]),
            "intro": _(
                "Awards the bloc gives itself (its exemplary collectives and individuals) are decided at the "
                "year-end conference and need no review by the Board. Choose the drafts the conference decided."
            ),
        },
    )


# ------------------------------------------------------------------------------------------------------
# Registrations (đăng ký thi đua)
# ------------------------------------------------------------------------------------------------------


def _registrable_units(user, bloc: Bloc, year: int):
    members = Unit.objects.filter(memberships__in=bloc.memberships.covering(year)).order_by(
        "memberships__display_order", "sort_name"
    )
    if access.can_manage_bloc_year(user, bloc, year):
        return members
    if access.is_member(user, bloc, year):
        return members.filter(pk=user.unit_id)
    return members.none()


def registrations(request, pk: int, year: int):
    bloc = _bloc_year(request, pk, year)
    user = request.user
    units = _registrable_units(user, bloc, year)
    form = forms.RegistrationForm(request.POST or None, bloc=bloc, year=year, units=units)
    if request.method == "POST":
        unit_id = int_or_none(request.POST.get("unit"), minimum=1, maximum=ID_MAX)
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        # Members register their own unit only; the year's seat holders and officers any member.
        if not units.exists() or (unit is not None and not access.can_register_titles(user, bloc, year, unit)):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.registration_add(bloc=bloc, year=year, by=user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The registration was saved."))
                return redirect("awards:registrations", bloc.pk, year)
    items = list(
        Registration.objects.filter(bloc=bloc, year=year)
        .select_related("unit", "award_type", "created_by")
        .order_by("unit__sort_name", "award_type__order")
    )
    for item in items:
        item.can_remove = access.can_register_titles(user, bloc, year, item.unit)
    return render(
        request,
        "awards/registrations.html",
        {"bloc": bloc, "year": year, "form": form if units.exists() else None, "items": items},
    )


@require_POST
def registration_delete(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("unit"), pk=pk)
    bloc = _bloc_year(request, registration.bloc_id, registration.year)
    if not access.can_register_titles(request.user, bloc, registration.year, registration.unit):
        raise PermissionDenied
    services.registration_remove(registration=registration, by=request.user)
    messages.success(request, _("The registration was removed."))
    return redirect("awards:registrations", bloc.pk, registration.year)


# ------------------------------------------------------------------------------------------------------
# The officers' review queue and decisions
# ------------------------------------------------------------------------------------------------------


@require_safe
def review_queue(request):
    """Proposals of the council's blocs (submitted ones by default) with filters, late blocs flagged."""
    council = _officer_council(request)
    filters = forms.ReviewFilterForm(request.GET or None, council=council)
    proposals = (
        Proposal.objects.of_council(council)
        .filter(source=Proposal.Source.PORTAL)
        .exclude(status=Status.DRAFT)
        .with_related()
        .order_by("-year", "bloc__sort_name", "award_type__order", "id")
    )
    year = filters.value("year")
    status = filters.value("status")
    if year:
        proposals = proposals.filter(year=year)
    if filters.value("bloc"):
        proposals = proposals.filter(bloc=filters.value("bloc"))
    if filters.value("award_type"):
        proposals = proposals.filter(award_type=filters.value("award_type"))
    if status:
        proposals = proposals.filter(status=status)
    elif "status" not in request.GET:  # the queue proper: what waits for review (page links keep it)
        proposals = proposals.filter(status=Status.SUBMITTED)
        status = Status.SUBMITTED
    page = paginate(request, proposals)
    _with_findings(list(page.object_list))

    # Late blocs: a bloc-year's first submission after the deadline, or none by a deadline that passed.
    years = [year] if year else [council.current_year - 1, council.current_year]
    deadline_by_year = {d.year: d.deadline for d in SubmissionDeadline.objects.filter(council=council, year__in=years)}
    first_submitted = {
        (bloc_id, y): day
        for bloc_id, y, day in Submission.objects.filter(bloc__council=council, year__in=years)
        .values_list("bloc_id", "year")
        .annotate(day=Min("submitted_on"))
    }
    for proposal in page.object_list:
        deadline = deadline_by_year.get(proposal.year)
        first = first_submitted.get((proposal.bloc_id, proposal.year))
        proposal.late = bool(deadline and first and first > deadline)
    today = timezone.localdate()
    missing = []
    for y, deadline in sorted(deadline_by_year.items()):
        if deadline < today:
            for bloc in Bloc.objects.filter(council=council, active=True).order_by("sort_name"):
                if (bloc.pk, y) not in first_submitted:
                    missing.append({"bloc": bloc, "year": y, "deadline": deadline})
                elif first_submitted[(bloc.pk, y)] > deadline:
                    missing.append(
                        {"bloc": bloc, "year": y, "deadline": deadline, "late_on": first_submitted[(bloc.pk, y)]}
                    )
    return render(
        request,
        "awards/review_queue.html",
        {
            "council": council,
            "filters": filters,
            "page": page,
            "status": status,
            "late_blocs": missing,
            "next": request.get_full_path(),
        },
    )


@require_safe
def decision_list(request):
    council = _officer_council(request)
    decisions = Decision.objects.filter(council=council).annotate(count=Count("proposals")).order_by("-date", "-id")
    return render(request, "awards/decision_list.html", {"page": paginate(request, decisions), "council": council})


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
            _attach_or_top(form, error)
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
            _attach_or_top(form, error)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect(decision)
    return _decision_page(request, decision, form)


# ------------------------------------------------------------------------------------------------------
# Awards decided outside the portal
# ------------------------------------------------------------------------------------------------------


def external_create(request):
    council = _officer_council(request)
    form = forms.ExternalAwardForm(request.POST or None, council=council, initial={"year": council.current_year - 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipient = data["recipient"]
        try:
            with transaction.atomic():
                person = None
                if recipient == forms.RECIPIENT_PERSON:
                    person = services.person_get_or_create(
                        unit=data["unit"], name=data["person_name"], position=data["person_position"], by=request.user
                    )
                proposal = services.award_enter_external(
                    council=council,
                    award_type=data["award_type"],
                    year=data["year"],
                    unit=data["unit"],
                    collective_name=data["collective_name"] if recipient == forms.RECIPIENT_COLLECTIVE else "",
                    person=person,
                    bloc=data["bloc"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    signer=data["signer"],
                    conference_date=data["conference_date"],
                    summary=data["summary"],
                    award_reason=data["award_reason"],
                    by=request.user,
                )
        except ValidationError as error:
            _attach_or_top(form, error)
        else:
            messages.success(request, _("The award was entered."))
            return redirect(proposal)
    return render(
        request,
        "awards/form.html",
        {
            "form": form,
            "title": _("Enter an award decided outside the portal"),
            "back_url": reverse("awards:award_list"),
            "intro": _(
                "For awards of earlier years or other channels, so that award history and eligibility are "
                "complete. Many at once: import them from Excel."
            ),
            "extra_link": (reverse("awards:external_import"), _("Import from Excel")),
        },
    )


# ------------------------------------------------------------------------------------------------------
# The council-wide list: page, Excel and PDF
# ------------------------------------------------------------------------------------------------------


def _list_query(request, council):
    """The list's proposals for the request's filters: year (default: last year), statuses, bloc, type."""
    year = query_year(request, council.current_year - 1)
    statuses = [s for s in request.GET.getlist("status") if s in Status.values] or list(LIST_STATUSES)
    proposals = Proposal.objects.of_council(council).filter(year=year, status__in=statuses).with_related()
    bloc = query_int(request, "bloc")
    if bloc:
        proposals = proposals.filter(bloc_id=bloc)
    award_type = query_int(request, "award_type")
    if award_type:
        proposals = proposals.filter(award_type_id=award_type)
    proposals = proposals.order_by("award_type__order", "award_type_id", "bloc__sort_name", "unit__sort_name", "id")
    return year, statuses, proposals


@require_safe
def award_list(request):
    council = _officer_council(request)
    year, statuses, proposals = _list_query(request, council)
    query = request.GET.urlencode() or urlencode({"year": year})
    return render(
        request,
        "awards/award_list.html",
        {
            "council": council,
            "year": year,
            "statuses": statuses,
            "status_choices": Status.choices,
            "groups": printing.group_by_type(proposals),
            "blocs": Bloc.objects.filter(council=council).order_by("sort_name"),
            "types": AwardType.objects.filter(council=council),
            "query": query,
            "years": range(council.current_year - 4, council.current_year + 1),
        },
    )


@require_safe
def award_list_xlsx(request):
    council = _officer_council(request)
    year, statuses, proposals = _list_query(request, council)
    content = excel.award_list_workbook(council=council, year=year, proposals=list(proposals))
    return _xlsx_response(content, excel.award_list_filename(council=council, year=year))


@require_safe
@transaction.non_atomic_requests
def award_list_pdf(request):
    council = _officer_council(request)
    year, statuses, proposals = _list_query(request, council)
    context = printing.list_context(council=council, year=year, proposals=list(proposals), today=timezone.localdate())
    pdf = render_pdf(printing.LIST_TEMPLATE, context, request=request)
    return _pdf_response(pdf, f"DS-khen-thuong-{year}")


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name_safe(name)}.pdf"'
    return response


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# ------------------------------------------------------------------------------------------------------
# Excel import of awards decided outside the portal
# ------------------------------------------------------------------------------------------------------

SESSION_KEY = "awards.external_import"


def external_import(request):
    """Upload a sheet → its problems, or a preview with a confirm button → confirm writes it all."""
    import secrets

    council = _officer_council(request)
    if request.method == "POST" and "token" in request.POST:
        pending = request.session.pop(SESSION_KEY, None)
        if (
            not pending
            or not secrets.compare_digest(pending["token"], request.POST["token"])
            or pending["council"] != council.pk
        ):
            messages.error(request, _("This import is no longer waiting for confirmation. Upload the file again."))
            return redirect("awards:external_import")
        plan = excel.external_import_load(council=council, data=pending["rows"])
        if not plan.is_valid:
            messages.error(
                request, _("The data changed since the preview; nothing was saved. Fix the sheet and upload it again.")
            )
            return render(request, "awards/external_import.html", {"form": forms.ExcelUploadForm(), "plan": plan})
        try:
            count = excel.external_import_apply(plan=plan, by=request.user)
        except excel.ImportWriteError as error:
            messages.error(request, _("Nothing was saved: %(error)s") % {"error": error.issue.text})
            return redirect("awards:external_import")
        messages.success(request, _("%(count)s awards were entered.") % {"count": count})
        return redirect("awards:award_list")

    form = forms.ExcelUploadForm(request.POST or None, request.FILES or None)
    plan = token = None
    if request.method == "POST" and form.is_valid():
        plan = excel.external_import_parse(council=council, file=form.cleaned_data["file"])
        if plan.is_valid:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {"token": token, "council": council.pk, "rows": plan.session_data()}
        else:
            request.session.pop(SESSION_KEY, None)
        form = forms.ExcelUploadForm()
    return render(request, "awards/external_import.html", {"form": form, "plan": plan, "token": token})


@require_safe
def external_import_template(request):
    council = _officer_council(request)
    return _xlsx_response(excel.external_import_template_workbook(council=council), "thidua-mau-nhap-khen-thuong.xlsx")


# ------------------------------------------------------------------------------------------------------
# A person's page
# ------------------------------------------------------------------------------------------------------


@require_safe
def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("unit", "council"), pk=pk)
    if not access.can_view_unit(request.user, person.unit):
        raise Http404
    awards = selectors.person_award_history(user=request.user, person=person)
    context = {"person": person, "awards": awards, "is_officer": access.is_officer_of(request.user, person.council_id)}
    if context["is_officer"]:
        context["history"] = history_entries(person)
    return render(request, "awards/person_detail.html", context)
