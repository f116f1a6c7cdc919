"""The councils, for the portal's administrators (superusers): the list, a new council, a council's edit.

A council's officers change their own council's settings on ``blocs:council_settings``; these pages are
where a council comes into being, so a fresh portal can be set up without ``/admin/``. Access:
``blocs.access.can_manage_councils``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, first_run, services
from .forms import CouncilForm
from .history import history_entries
from .models import Council
from .web import attach_errors


def council_list(request):
    access.require_council_manager(request.user)
    councils = list(first_run.with_progress(Council.objects.order_by("name")))
    return render(request, "blocs/council_list.html", {"councils": councils})


def council_create(request):
    access.require_council_manager(request.user)
    form = CouncilForm(request.POST or None, initial={"current_year": timezone.localdate().year})
    return _council_form(request, form, title=_("New council"), saved=_("The council was created."))


def council_edit(request, pk: int):
    council = access.council_for_managing(request.user, pk)
    form = CouncilForm(request.POST or None, instance=council)
    title = _("Edit %(name)s") % {"name": council.name}
    return _council_form(
        request, form, title=title, saved=_("The council was saved."), history=history_entries(council)
    )


def _council_form(request, form, *, title: str, saved: str, history=None):
    if request.method == "POST" and form.is_valid():
        try:
            services.council_save(council=form.instance, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, saved)
            # A new council's next steps are on the home page; an edit goes back to the list.
            return redirect("blocs:home" if history is None else "blocs:council_list")
    return render(request, "blocs/council_form.html", {"form": form, "title": title, "history": history})
