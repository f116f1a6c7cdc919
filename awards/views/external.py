"""Awards decided outside the portal: entered one by one, or imported from an Excel sheet."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocs.web import ID_MAX, attach_errors, int_or_none, is_year, xlsx_response

from .. import excel, forms, services, suggestions
from .common import INSERT_RANKING, _officer_council, posted_values, ranking_inserted


def _external_offer(request, council):
    """The final ranking of the bloc and year posted (the council's own bloc), or None."""
    bloc_id = int_or_none(request.POST.get("bloc"), minimum=1, maximum=ID_MAX)
    year = int_or_none(request.POST.get("year"), minimum=1, maximum=9999)
    if bloc_id is None or year is None or not is_year(year) or not council.blocs.filter(pk=bloc_id).exists():
        return None
    return suggestions.ranking_offer(bloc_id, year)


def external_create(request):
    """An award decided outside the portal, entered by an officer. Its reason may cite the unit's line of
    the final ranking of the bloc and year chosen: the "insert" button sends the form back with the line in
    the reason field, and nothing is saved until the officer saves."""
    council = _officer_council(request)
    if request.method == "POST" and INSERT_RANKING in request.POST:
        values = ranking_inserted(
            request,
            _external_offer(request, council),
            unit_id=int_or_none(request.POST.get("unit"), minimum=1, maximum=ID_MAX),
            for_unit=request.POST.get("recipient", forms.RECIPIENT_UNIT) == forms.RECIPIENT_UNIT,
            values=posted_values(request),
        )
        form = forms.ExternalAwardForm(council=council, initial=values)
        return _external_render(request, form)
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
            attach_errors(form, error)
        else:
            messages.success(request, _("The award was entered."))
            return redirect(proposal)
    return _external_render(request, form)


def _external_render(request, form):
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
            # The bloc, year and unit are chosen in the form: the line is found when the button sends them.
            "offer_after": "award_reason",
            "offer_by_choice": True,
        },
    )


SESSION_KEY = "awards.external_import"


def external_import(request):
    """Upload a sheet → its problems, or a preview with a confirm button → confirm writes it all."""
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
    workbook = excel.external_import_template_workbook(council=council)
    return xlsx_response(workbook, filename="thidua-mau-nhap-khen-thuong.xlsx")
