"""Excel pages: import units and memberships, download the import template, export the council (officers),
and the units list as filtered.

Thin views: the parsing, validation, writing and workbooks are in ``blocs.excel``. The import and the
council export work on the officer's own council (``council_for_officer`` gives everyone else a 404); the
units list's workbook has the list's own rule: the units the user may open (``access.visible_units``).
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.jobs import file_job_start
from documents.services import issuer_key

from . import excel
from .access import council_for_officer
from .forms import PortalForm
from .views import unit_list_query
from .web import xlsx_response

# The session keeps one pending import: the cleaned rows of the last valid upload, with a token the
# confirm form sends back, so a stale or doubled confirmation cannot write twice.
SESSION_KEY = "blocs.units_import"
# The page lists at most this many problems or changed rows; the counts above the tables say the rest.
SHOWN_ROWS = 500


class UnitsImportForm(PortalForm):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy("The first sheet is read; its first row holds the column titles of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + excel.XLSX_CONTENT_TYPE}),
    )


def _page(request, *, form, plan=None, token=None, status=200):
    context = {"form": form, "plan": plan, "token": token, "shown_rows": SHOWN_ROWS}
    if plan is not None:
        context["issues"] = plan.issues[:SHOWN_ROWS]
        if plan.is_valid:
            changed = [row for row in plan.preview_rows() if row.changes]
            context["changed_rows"] = changed[:SHOWN_ROWS]
            context["changed_count"] = len(changed)
            context["counts"] = plan.counts()
    return render(request, "blocs/excel_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def units_import(request):
    """Upload a sheet → its problems, or a preview with a confirm button → confirm writes it all."""
    council = council_for_officer(request.user)
    if request.method == "POST" and "token" in request.POST:
        return _units_import_confirm(request, council)

    form = UnitsImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET" or not form.is_valid():
        return _page(request, form=form)
    plan = excel.units_import_parse(council=council, file=form.cleaned_data["file"])
    token = None
    if plan.is_valid:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {"token": token, "plan": plan.session_data()}
    else:
        request.session.pop(SESSION_KEY, None)
    return _page(request, form=UnitsImportForm(), plan=plan, token=token)


def _units_import_confirm(request, council):
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not secrets.compare_digest(pending["token"], request.POST["token"]):
        messages.error(request, _("This import is no longer waiting for confirmation. Upload the file again."))
        return redirect("blocs:units_import")
    try:
        plan = excel.units_import_load(council=council, data=pending["plan"])
    except ValueError:  # kept for another council (the officer's council changed): start again
        messages.error(request, _("This import is no longer waiting for confirmation. Upload the file again."))
        return redirect("blocs:units_import")
    if not plan.is_valid:
        # The data changed between the preview and the confirmation; show what no longer fits.
        messages.error(
            request,
            _("The data changed since the preview; nothing was saved. Fix the sheet and upload it again."),
        )
        return _page(request, form=UnitsImportForm(), plan=plan)
    try:
        result = excel.units_import_apply(plan=plan, by=request.user)
    except excel.ImportWriteError as error:
        messages.error(request, _("Nothing was saved: %(error)s") % {"error": error.issue.text})
        return _page(request, form=UnitsImportForm())
    messages.success(
        request,
        _(
            "Import saved: %(units_created)s units added, %(units_updated)s units changed, "
            "%(memberships_created)s memberships added, %(memberships_updated)s memberships changed."
        )
        % vars(result),
    )
    return redirect("blocs:units_import")


@require_GET
def units_import_template(request):
    """An empty import sheet with the column titles, one example row and a guide."""
    council = council_for_officer(request.user)
    return xlsx_response(excel.units_import_template_workbook(council=council), filename="thidua-mau-nhap-don-vi.xlsx")


@require_POST
def council_export(request):
    """Start the workbook of the officer's council (units in the import format, blocs, members and seats
    of all years); a province's takes a second or more, so a background job makes it (documents.jobs)
    and the officer follows it on its own page."""
    council = council_for_officer(request.user)
    job = file_job_start(
        kind="blocs.jobs.council_export_make",
        title=_("Council data (Excel)"),
        subject=issuer_key("council", council.pk),
        params={},
        by=request.user,
    )
    return redirect("blocs:file_job", pk=job.pk)


@require_GET
def units_export(request):
    """The units list as the page shows it (search, filters, year and order; every page), in a workbook.
    Whoever may read the list may take it: the same units (``unit_list_query``), three queries."""
    units, filters = unit_list_query(request)
    content = excel.unit_list_workbook(units=units, year=filters["year"])
    return xlsx_response(content, filename=excel.unit_list_filename(today=timezone.localdate()))
