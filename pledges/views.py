"""Pages of the pledge. Thin: find the object, check permission (blocs.access), call a service, redirect.

Who may do what (docs/domain.md, "Who may do what"):
* read and print a bloc-year's pledge: ``access.can_read_bloc_year`` (officers of the council, that
  year's members, the year-1 seat holders who prepare it);
* draft, open signing, record paper signatures, finalise, correct, upload scans:
  ``access.can_prepare_year`` (officers; the year's chair and vice-chairs; the year-1 ones until its
  signing opens, or until the year has seats); a reader who may not is told who may and why;
* sign: a user of a unit that is a frozen signatory of the version, for that unit only
  (``access.acts_for_unit``).
A user who may not see the bloc at all gets 404; a known user without the right gets 403.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs import access
from blocs.history import history_entries
from blocs.web import (
    DOCX_CONTENT_TYPE,
    Confirmation,
    ConfirmForm,
    attach_errors,
    bloc_record_or_404,
    bloc_year_or_404,
    bloc_years_around,
    confirm_page,
    confirmed,
    document_issue_report,
    errors_to_messages,
    file_response,
    form_attempt,
    pdf_response,
    query_int,
    stored_file_response,
)
from documents.render import file_name_safe

from . import services
from .forms import (
    CorrectionForm,
    DraftForm,
    FinaliseForm,
    PledgeCreateForm,
    RecordSignaturesForm,
    ScanUploadForm,
    SectionFormSet,
    SignForm,
    SigningOpenForm,
    sections_from,
)
from .models import Pledge, PledgeScan, PledgeVersion
from .printing import draft_number_text, pledge_docx, pledge_file_name, pledge_pdf_render, roman

# Helpers ---------------------------------------------------------------------------------------------


def _posted(request):
    """The POST data of a form, or None for a GET. (``request.POST or None`` would treat an empty POST,
    e.g. an unticked confirmation, as no submission at all.)"""
    return request.POST if request.method == "POST" else None


_PLEDGES = Pledge.objects.select_related("bloc__council")


def _pledge(user, pk: int) -> Pledge:
    """The pledge, or 404 to anyone who may not see its bloc at all."""
    return bloc_record_or_404(_PLEDGES, user=user, pk=pk)


def _pledge_for_reading(user, pk: int) -> Pledge:
    return bloc_record_or_404(_PLEDGES, user=user, pk=pk, may=access.can_read_bloc_year)


def _pledge_for_preparing(user, pk: int) -> Pledge:
    return bloc_record_or_404(_PLEDGES, user=user, pk=pk, may=access.can_prepare_year)


def _current(pledge: Pledge) -> PledgeVersion:
    version = pledge.versions.select_related("pledge__bloc__council", "document").order_by("-number").first()
    if version is None:  # a pledge is always created with version 1; a missing one is a broken row
        raise Http404
    return version


def _current_for_preparing(user, pk: int) -> tuple[Pledge, PledgeVersion]:
    """The pledge a step prepares and its current version (403 to whoever may not prepare its year)."""
    pledge = _pledge_for_preparing(user, pk)
    return pledge, _current(pledge)


def _ordered_signatories(version: PledgeVersion) -> list:
    return list(version.signatories.order_by("position"))


def _version(pledge: Pledge, number: int) -> PledgeVersion:
    return get_object_or_404(
        PledgeVersion.objects.select_related("pledge__bloc__council", "document"), pledge=pledge, number=number
    )


def _back(pledge: Pledge, version: PledgeVersion | None = None) -> str:
    url = pledge.get_absolute_url()
    return f"{url}?v={version.number}" if version is not None else url


def _refuse(request, pledge: Pledge, message: str, version: PledgeVersion | None = None):
    """Back to the pledge page with why the step is not possible in the version's state."""
    messages.error(request, message)
    return redirect(_back(pledge, version))


def _page(request, template: str, pledge: Pledge, version: PledgeVersion, form, **context):
    """A step's page: the pledge, its bloc, the version and the form, and what else the step shows."""
    return render(
        request, template, {"pledge": pledge, "bloc": pledge.bloc, "version": version, "form": form, **context}
    )


def progress_text(signed: int, total: int) -> str:
    """ "7/9 units have signed" (Vietnamese: "7/9 đơn vị đã ký")."""
    return _("%(signed)s/%(total)s units have signed") % {"signed": signed, "total": total}


# The bloc-year page ----------------------------------------------------------------------------------


@require_safe
def pledge_detail(request, pk: int, year: int):
    """A bloc-year's pledge: state, text, signatories and progress, versions, scans, and the buttons the
    user may use. Without a pledge: who may start one (blank or from last year's)."""
    user = request.user
    bloc = access.bloc_for_viewing(user, pk)
    bloc_year_or_404(bloc, year)
    if not access.can_read_bloc_year(user, bloc, year):
        raise PermissionDenied
    # Who may prepare it and, for a reader who may not, who does and why: never a page without a way on.
    refusal = access.prepare_year_refusal(user, bloc, year)
    can_prepare = refusal is None
    pledge = Pledge.objects.filter(bloc=bloc, year=year).first()
    if pledge is not None:
        pledge.bloc = bloc  # already fetched with its council
    # The neighbouring years, when they are pages of the bloc.
    neighbours = bloc_years_around(bloc, year, before=1, after=1)
    context = {
        "bloc": bloc,
        "year": year,
        "pledge": pledge,
        "can_prepare": can_prepare,
        "prepare_refusal": refusal,
        "previous_year": year - 1 if year - 1 in neighbours else None,
        "next_year": year + 1 if year + 1 in neighbours else None,
    }
    if pledge is None:
        context["earlier"] = (
            Pledge.objects.filter(bloc=bloc, year__lt=year).order_by("-year").first() if can_prepare else None
        )
        return render(request, "pledges/pledge_detail.html", context)

    versions = list(
        pledge.versions.select_related("document", "finalised_by", "signing_opened_by", "created_by").order_by("number")
    )
    current = versions[-1]
    wanted = query_int(request, "v", maximum=32767, default=current.number)  # a version number
    version = next((v for v in versions if v.number == wanted), current)
    version.pledge = pledge  # shared instance: no query per access

    signatories = list(version.signatories.select_related("recorded_by").order_by("position"))
    signed = sum(1 for s in signatories if s.is_signed)
    mine = next((s for s in signatories if access.acts_for_unit(user, s.unit_id)), None) if user.unit_id else None
    context.update(
        {
            "versions": versions,
            "version": version,
            "current": current,
            "is_current": version.pk == current.pk,
            # Numbered as in print: I, II, III …
            "sections": [(roman(i), s) for i, s in enumerate(version.sections.order_by("position"), start=1)],
            "signatories": signatories,
            "signed": signed,
            "progress": progress_text(signed, len(signatories)) if signatories else "",
            "progress_percent": round(100 * signed / len(signatories)) if signatories else 0,
            # Before signing opens, who will sign: the year's members.
            "members": list(bloc.members(year)) if version.is_drafting else [],
            "scans": list(version.scans.select_related("uploaded_by")),
            "number_text": draft_number_text(version),
            "my_signatory": mine,
            "can_sign": bool(mine and version.is_signing and not mine.is_signed),
            "is_officer": access.is_officer_of(user, bloc.council_id),
        }
    )
    if context["is_officer"]:
        context["history"] = history_entries(version, limit=20)
    return render(request, "pledges/pledge_detail.html", context)


@require_POST
def pledge_create(request, pk: int, year: int):
    """Start the year's pledge: blank, or from an earlier pledge of the bloc (one click)."""
    bloc = access.bloc_for_viewing(request.user, pk)
    bloc_year_or_404(bloc, year)
    if not access.can_prepare_year(request.user, bloc, year):
        raise PermissionDenied
    form = PledgeCreateForm(request.POST, bloc=bloc, year=year)
    url = reverse("pledges:pledge_detail", args=[bloc.pk, year])
    if not form.is_valid():  # only a tampered "copy from" gets here: the page offers valid choices only
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(url)
    try:
        pledge = services.pledge_create(bloc=bloc, year=year, by=request.user, copy_from=form.cleaned_data["copy_from"])
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect(url)
    if pledge.copied_from_id:
        messages.success(
            request,
            _("The %(year)s pledge was started from the %(source)s pledge; edit it now.")
            % {"year": year, "source": pledge.copied_from.year},
        )
    else:
        messages.success(request, _("The %(year)s pledge was started; write its text now.") % {"year": year})
    return redirect("pledges:pledge_edit", pledge.pk)


# Drafting --------------------------------------------------------------------------------------------


def pledge_edit(request, pk: int):
    """The draft editor: title, date and place, preamble, and sections (add, remove, reorder).

    The editor carries the revision it was opened at; a save over someone else's newer save is refused
    and the current text is shown next to the user's, which stays in the form.
    """
    pledge, version = _current_for_preparing(request.user, pk)
    if not version.is_drafting:
        return _refuse(request, pledge, _("This version is no longer a draft; its text cannot change."))
    conflict = None
    if request.method == "POST":
        form = DraftForm(request.POST)
        formset = SectionFormSet(request.POST, prefix="sections")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.pledge_draft_save(
                    version=version,
                    revision=data["revision"],
                    title=data["title"],
                    preamble=data["preamble"],
                    signing_date=data["signing_date"],
                    signing_place=data["signing_place"],
                    sections=sections_from(formset),
                    by=request.user,
                    text_attached=data["text_attached"],
                )
            except services.DraftConflict as error:
                conflict = error.current
                # The user's text stays in the form; saving again now would knowingly replace the other
                # save, so the form carries the current revision from here on.
                post = request.POST.copy()
                post["revision"] = str(conflict.revision)
                form = DraftForm(post)
                form.is_valid()
                messages.error(
                    request,
                    _(
                        "Someone else saved this draft meanwhile (%(who)s, %(when)s). Your changes were not "
                        "saved. The current text is shown below; save again to replace it with yours."
                    )
                    % {
                        "who": conflict.updated_by.display_name if conflict.updated_by else _("system"),
                        "when": timezone.localtime(conflict.updated_at).strftime("%d/%m/%Y %H:%M"),
                    },
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                if "save_and_close" in request.POST:
                    return redirect(_back(pledge))
                return redirect("pledges:pledge_edit", pledge.pk)
    else:
        form = DraftForm(initial=DraftForm.initial_for(version))
        formset = SectionFormSet(
            prefix="sections",
            initial=[
                {"heading": s.heading, "body": s.body, "ORDER": s.position}
                for s in version.sections.order_by("position")
            ],
        )
    conflict_sections = list(conflict.sections.order_by("position")) if conflict else []
    return _page(
        request,
        "pledges/pledge_edit.html",
        pledge,
        version,
        form,
        formset=formset,
        conflict=conflict,
        conflict_sections=conflict_sections,
    )


# Signing ---------------------------------------------------------------------------------------------


def pledge_signing_open(request, pk: int):
    """Confirm and open signing: the list of signatories is frozen from the year's members."""
    pledge, version = _current_for_preparing(request.user, pk)
    if not version.is_drafting:
        return _refuse(request, pledge, _("Signing is already open for this version."))
    form = SigningOpenForm(_posted(request), initial={"text_attached": version.text_attached})
    asked_again = request.method == "POST" and not confirmed(request)
    if form.is_valid() and not asked_again:
        text_attached = form.cleaned_data["text_attached"]
        done, _opened = form_attempt(
            form, lambda: services.pledge_signing_open(version=version, by=request.user, text_attached=text_attached)
        )
        if done:
            messages.success(request, _("Signing is open. Member units can now sign the pledge."))
            return redirect(_back(pledge))
    members = list(pledge.bloc.members(pledge.year))
    return _page(
        request,
        "pledges/signing_open.html",
        pledge,
        version,
        form,
        members=members,
        confirm_form=ConfirmForm(),
        asked_again=asked_again,
    )


def pledge_sign(request, pk: int):
    """A member unit's user confirms or corrects the unit's signatory and signs, for that unit only."""
    pledge = _pledge(request.user, pk)
    version = _current(pledge)
    if not version.is_signing:
        # Readers learn why (signing not open yet, or closed); others get the 403 they would get anyway.
        if not access.can_read_bloc_year(request.user, pledge.bloc, pledge.year):
            raise PermissionDenied
        return _refuse(request, pledge, _("This version is not open for signing."))
    signatory = version.signatories.filter(unit_id=request.user.unit_id).first() if request.user.unit_id else None
    if signatory is None or not access.acts_for_unit(request.user, signatory.unit_id):
        raise PermissionDenied
    if signatory.is_signed:
        messages.info(request, _("Your unit already signed this version."))
        return redirect(_back(pledge))
    form = SignForm(
        _posted(request),
        initial={
            "signatory_name": signatory.signatory_name,
            "signatory_title": signatory.signatory_title,
            "signed_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _signed = form_attempt(
            form,
            lambda: services.pledge_sign(
                version=version,
                unit=signatory.unit,
                by=request.user,
                signatory_name=data["signatory_name"],
                signatory_title=data["signatory_title"],
                signed_on=data["signed_on"],
            ),
        )
        if done:
            version.refresh_from_db()
            if version.is_final:
                messages.success(request, _("Your unit signed. Every unit has signed: the pledge is final."))
            else:
                messages.success(request, _("Your unit signed the pledge."))
            return redirect(_back(pledge))
    return _page(request, "pledges/sign.html", pledge, version, form, signatory=signatory)


def pledge_signatures_record(request, pk: int):
    """The chair or an officer records a paper ceremony's signatures: a row per unit, with dates."""
    pledge, version = _current_for_preparing(request.user, pk)
    if not version.is_signing:
        return _refuse(request, pledge, _("This version is not open for signing."))
    signatories = _ordered_signatories(version)
    form = RecordSignaturesForm(
        _posted(request),
        signatories=signatories,
        initial={"signed_on": version.signing_date or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        done, recorded = form_attempt(
            form,
            lambda: services.pledge_signatures_record(
                version=version,
                signed_on=form.cleaned_data["signed_on"],
                units=form.ticked(),
                dates=form.dates(),
                names=form.names(),
                by=request.user,
            ),
        )
        if done:
            version.refresh_from_db()
            messages.success(request, _("%(count)s signatures were recorded.") % {"count": len(recorded or [])})
            if version.is_final:
                messages.success(request, _("Every unit has signed: the pledge is final."))
            return redirect(_back(pledge))
    signed = [s for s in signatories if s.is_signed]
    return _page(request, "pledges/record.html", pledge, version, form, signed=signed)


def pledge_finalise(request, pk: int):
    """Close signing and make the version final (when some units have not signed, with a tick)."""
    pledge, version = _current_for_preparing(request.user, pk)
    if not version.is_signing:
        return _refuse(request, pledge, _("Only a version being signed can be made final."))
    signatories = _ordered_signatories(version)
    unsigned = [s for s in signatories if not s.is_signed]
    form = FinaliseForm(_posted(request))
    asked_again = request.method == "POST" and not confirmed(request)
    if request.method == "POST" and form.is_valid() and not asked_again:
        if unsigned and not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Tick the box to close signing while some units have not signed."))
        elif form_attempt(
            form, lambda: services.pledge_finalise(version=version, by=request.user, close_early=bool(unsigned))
        )[0]:
            messages.success(request, _("The pledge is final. Its numbered PDF is being made."))
            return redirect(_back(pledge))
    progress = progress_text(len(signatories) - len(unsigned), len(signatories))
    return _page(
        request,
        "pledges/finalise.html",
        pledge,
        version,
        form,
        unsigned=unsigned,
        progress=progress,
        number_text=services.pledge_number_peek(version=version),
        confirm_form=ConfirmForm(),
        asked_again=asked_again,
    )


def pledge_correction(request, pk: int):
    """Start a correction of a final pledge: a new version with a reason, signed anew."""
    pledge, version = _current_for_preparing(request.user, pk)
    if not version.is_final:
        return _refuse(request, pledge, _("Only a final pledge can be corrected; finish the current version first."))
    form = CorrectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if form_attempt(form, lambda: services.pledge_correction_start(pledge=pledge, reason=reason, by=request.user))[
            0
        ]:
            messages.success(request, _("A correction was started as a new version; edit its text now."))
            return redirect("pledges:pledge_edit", pledge.pk)
    return _page(
        request,
        "pledges/form.html",
        pledge,
        version,
        form,
        title=_("Correct the %(year)s pledge") % {"year": pledge.year},
        intro=_(
            "Version %(number)s stays as it was signed, with its signatures and scans. The correction "
            "is a new version with the same text to edit, and it is signed anew."
        )
        % {"number": version.number},
        submit=_("Start the correction"),
    )


# Scans -----------------------------------------------------------------------------------------------


def pledge_scan_upload(request, pk: int, number: int):
    """Upload the scanned signed copy of a version (PDF, JPEG or PNG, checked by content)."""
    pledge = _pledge_for_preparing(request.user, pk)
    version = _version(pledge, number)
    if version.is_drafting:
        return _refuse(request, pledge, _("Upload the signed copy once signing has opened."), version)
    form = ScanUploadForm(request.POST, request.FILES) if request.method == "POST" else ScanUploadForm()
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if form_attempt(form, lambda: services.pledge_scan_upload(version=version, file=file, by=request.user))[0]:
            messages.success(request, _("The scanned copy was saved."))
            return redirect(_back(pledge, version))
    return _page(
        request,
        "pledges/form.html",
        pledge,
        version,
        form,
        multipart=True,
        title=_("Scanned signed copy of the %(year)s pledge, version %(number)s")
        % {"year": pledge.year, "number": version.number},
        intro=_("A new file becomes the current scan; earlier scans stay listed."),
        submit=_("Upload"),
    )


@require_safe
def pledge_scan_download(request, pk: int):
    """A scan, served only to those who may read the pledge (404 to anyone who may not see the bloc)."""
    scan = get_object_or_404(PledgeScan.objects.select_related("version__pledge__bloc__council"), pk=pk)
    _pledge_for_reading(request.user, scan.version.pledge_id)
    pledge = scan.version.pledge
    extension = os.path.splitext(scan.file.name)[1] or ".bin"
    filename = file_name_safe(f"GU-{pledge.bloc.code}-{pledge.year}-v{scan.version.number}-scan-{scan.pk}") + extension
    content_type = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[scan.kind]
    response = stored_file_response(scan.file, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The PDF ---------------------------------------------------------------------------------------------


@require_safe
@transaction.non_atomic_requests  # rendering takes a moment; issuing takes its number in its own transaction
def pledge_pdf(request, pk: int, number: int):
    """The pledge as PDF: a draft preview ("…/GU-", marked DỰ THẢO while drafting), the copy to sign, or
    the issued final document with its number (made now if it was not made after finalisation)."""
    pledge = _pledge_for_reading(request.user, pk)
    version = _version(pledge, number)
    version.pledge = pledge
    if version.is_final:
        try:
            document = services.pledge_pdf_issue(version=version, by=version.finalised_by)
        except services.PledgePdfUnavailable as error:
            messages.error(request, _("The PDF could not be made: %(error)s") % {"error": error})
            return redirect(_back(pledge, version))
        filename = pledge_file_name(version, number_text=document.number_text, ext="pdf")
        return stored_file_response(document.file, filename=filename)
    number_text = draft_number_text(version)
    pdf = pledge_pdf_render(version=version, number_text=number_text)
    return pdf_response(pdf, filename=pledge_file_name(version, number_text=number_text, ext="pdf"))


@require_safe
@transaction.non_atomic_requests  # the first download of a final version issues its number, as the PDF's does
def pledge_docx_download(request, pk: int, number: int):
    """The pledge as an editable Word file, for the readers of its PDF: the same content and the same
    number ("…/GU-" before the version is issued; a final version is issued first, as its PDF would be)."""
    pledge = _pledge_for_reading(request.user, pk)
    version = _version(pledge, number)
    version.pledge = pledge
    number_text = draft_number_text(version)
    if version.is_final:
        try:
            number_text = services.pledge_pdf_issue(version=version, by=version.finalised_by).number_text
        except services.PledgePdfUnavailable as error:
            messages.error(request, _("The PDF could not be made: %(error)s") % {"error": error})
            return redirect(_back(pledge, version))
    return file_response(
        pledge_docx(version=version, number_text=number_text),
        content_type=DOCX_CONTENT_TYPE,
        filename=pledge_file_name(version, number_text=number_text, ext="docx"),
        attachment=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def pledge_pdf_issue(request, pk: int, number: int):
    """Make the final PDF again after a failure (the finalisation itself was kept), after a confirmation
    page naming the number it will take."""
    pledge = _pledge_for_preparing(request.user, pk)
    version = _version(pledge, number)
    if not confirmed(request):
        if not version.is_final or version.document_id:
            return redirect(_back(pledge, version))  # nothing to issue: nothing to confirm
        return confirm_page(
            request,
            Confirmation(
                title=_("Issue the pledge?"),
                consequences=[
                    _("“%(title)s” will be issued as No. %(number)s.")
                    % {"title": version.title, "number": services.pledge_number_peek(version=version)}
                ],
                back_url=_back(pledge, version),
            ),
        )
    document_issue_report(
        request,
        lambda: services.pledge_pdf_issue(version=version, by=request.user),
        unavailable=services.PledgePdfUnavailable,
        failed=_("The PDF could not be made: %(error)s"),
        issued=_("The PDF was issued as No. %(number)s."),
    )
    return redirect(_back(pledge, version))
