"""Where award work starts, a bloc-year's proposals (the chair's page), one proposal, and a person's
award history."""

from __future__ import annotations

import json
import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs import access
from blocs.history import history_entries
from blocs.models import Bloc, Deadline
from blocs.web import (
    ID_MAX,
    Confirmation,
    attach_errors,
    bloc_years_around,
    confirm_page,
    confirmed,
    int_or_none,
    stored_file_response,
)

from .. import forms, selectors, services, suggestions
from ..models import Person, Proposal, Registration
from .common import (
    INSERT_RANKING,
    Status,
    _bloc_year,
    _proposal,
    _refused,
    _with_findings,
    _with_links,
    posted_values,
    ranking_inserted,
)


@require_safe
def index(request):
    """Where award work starts: the user's blocs with links to their years' proposals, and officer tools."""
    user = request.user
    blocs = list(
        access.visible_blocs(user).filter(active=True).select_related("council").order_by("council__name", "sort_name")
    )
    rows = []
    counts = selectors.bloc_year_counts(blocs=blocs)
    for bloc in blocs:
        current = bloc.council.current_year
        years = [y for y in (current, current - 1) if access.can_read_bloc_year(user, bloc, y)]
        if years:
            rows.append({"bloc": bloc, "years": [(y, counts.get((bloc.pk, y), 0)) for y in years]})
    return render(request, "awards/index.html", {"rows": rows, "is_officer": access.is_officer(user)})


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
        "deadline": Deadline.objects.effective(bloc, year).get(Deadline.Kind.SUBMISSION),
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
    return _proposal_form_page(
        request, bloc=bloc, year=year, proposal=None, title=_("New proposal for %(year)s") % {"year": year}
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
    return _proposal_form_page(
        request, bloc=proposal.bloc, year=proposal.year, proposal=proposal, title=_("Edit the proposal")
    )


def _proposal_form_page(request, *, bloc: Bloc, year: int, proposal: Proposal | None, title: str):
    """The proposal form, new (``proposal`` None) or of a draft: saved through the services, or shown again
    with the services' refusal next to its fields. Beside the reason field it offers the chosen unit's line
    of the bloc-year's final ranking (``suggestions``); the "insert" button without JavaScript sends the form
    back with the line in the field, and nothing is saved."""
    offer = suggestions.ranking_offer(bloc.pk, year)
    if request.method == "POST" and INSERT_RANKING in request.POST:
        values = ranking_inserted(
            request,
            offer,
            unit_id=int_or_none(request.POST.get("unit"), minimum=1, maximum=ID_MAX),
            for_unit=request.POST.get("recipient", forms.RECIPIENT_UNIT) == forms.RECIPIENT_UNIT,
            values=posted_values(request),
        )
        form = forms.ProposalForm(initial=values, bloc=bloc, year=year, proposal=proposal)
        return _proposal_form_render(request, form, bloc=bloc, year=year, proposal=proposal, title=title, offer=offer)
    form = forms.ProposalForm(request.POST or None, request.FILES or None, bloc=bloc, year=year, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_proposal_from_form(request, form, bloc=bloc, year=year, proposal=proposal)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect(saved)
    return _proposal_form_render(request, form, bloc=bloc, year=year, proposal=proposal, title=title, offer=offer)


def _proposal_form_render(request, form, *, bloc: Bloc, year: int, proposal: Proposal | None, title: str, offer):
    unit_id = int_or_none(form["unit"].value(), minimum=1, maximum=ID_MAX)
    shown = suggestions.reason_line(offer, unit_id=unit_id, for_unit=form["recipient"].value() == forms.RECIPIENT_UNIT)
    return render(
        request,
        "awards/proposal_form.html",
        {
            "form": form,
            "bloc": bloc,
            "year": year,
            "proposal": proposal,
            "title": title,
            "offer": offer,
            "offer_line": shown[0],
            "offer_note": shown[1],
            # For the page's script, which follows the unit chosen: the lines by unit id, as JSON.
            "offer_lines": json.dumps(offer.for_page(), ensure_ascii=False) if offer else "",
        },
    )


@require_safe
def proposal_detail(request, pk: int):
    proposal = _proposal(request, pk)
    user = request.user
    bloc = proposal.bloc
    can_manage = bool(bloc) and access.can_manage_bloc_year(user, bloc, proposal.year)
    is_officer = access.is_officer_of(user, proposal.council_id)
    (proposal,) = _with_findings([proposal])
    _with_links([proposal])
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


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_delete(request, pk: int):
    """Delete a draft proposal, after a confirmation page that names it."""
    proposal = _proposal(request, pk, manage=True)
    bloc, year = proposal.bloc, proposal.year
    if not confirmed(request):
        words = {"award": proposal.award_type.name, "recipient": proposal.recipient_name, "year": year}
        return confirm_page(
            request,
            Confirmation(
                title=_("Delete the draft proposal?"),
                consequences=[
                    _("The draft proposal of %(award)s for %(recipient)s (%(year)s) will be deleted.") % words,
                    _("Its tally, achievement report and reasons are deleted with it."),
                ],
                back_url=proposal.get_absolute_url(),
            ),
        )
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
    name = proposal.achievement_report.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return stored_file_response(proposal.achievement_report, filename=name, content_type=content_type)


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
