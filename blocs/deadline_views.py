"""The council's deadlines (hạn): officers set them per year, for every bloc or for one bloc."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access, services
from .forms import DeadlineForm
from .models import Deadline
from .web import Confirmation, confirm_page, confirmed, form_attempt, year_param


def deadlines(request):
    """The deadlines of the officer's council for a year, and the form that sets (or moves) one."""
    council = access.council_for_officer(request.user)
    year = year_param(request, council.current_year)
    form = DeadlineForm(request.POST or None, council=council, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        saved, deadline = form_attempt(
            form, lambda: services.deadline_set(council=council, by=request.user, **form.cleaned_data)
        )
        if saved and deadline is not None:
            messages.success(request, _("The deadline was saved: %(deadline)s.") % {"deadline": deadline})
            return redirect(f"{reverse('blocs:deadlines')}?year={deadline.year}")
    items = list(
        Deadline.objects.of_year(council.pk, year).select_related("bloc").order_by("kind", "bloc__sort_name", "pk")
    )
    return render(
        request,
        "blocs/deadlines.html",
        {"council": council, "year": year, "years": range(year - 3, year + 2), "form": form, "items": items},
    )


def deadline_remove(request, pk: int):
    council = access.council_for_officer(request.user)
    deadline = get_object_or_404(Deadline.objects.select_related("bloc"), pk=pk, council=council)
    back = f"{reverse('blocs:deadlines')}?year={deadline.year}"
    if not confirmed(request):
        consequence = (
            _("The council's deadline of the same kind counts again for %(bloc)s.") % {"bloc": deadline.bloc.name}
            if deadline.bloc
            else _("The blocs then have no deadline of this kind for %(year)s, except their own.")
            % {"year": deadline.year}
        )
        return confirm_page(
            request,
            Confirmation(
                title=_("Remove the deadline %(deadline)s?") % {"deadline": deadline},
                consequences=[consequence],
                back_url=back,
            ),
        )
    services.deadline_remove(deadline=deadline, by=request.user)
    messages.success(request, _("The deadline was removed."))
    return redirect(back)
