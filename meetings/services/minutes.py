"""Minutes (biên bản), made from the record: a draft version follows it; ``minutes_finalise`` freezes the
content, and the number and PDF are issued after the commit (``minutes_pdf_issue``), never inside the
transaction, so a failed render loses nothing (the error is kept on the version and the page offers to
try again). Once final, the results change only after ``minutes_correction_start`` (a new version, with
a reason)."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.models import Bloc, Notification, User
from blocs.selectors import bloc_year_audience
from blocs.services import notification_send
from blocs.text import nfc_text
from documents.models import IssuedDocument
from documents.services import (
    DocumentSpec,
    document_issue_on_commit,
    document_issue_once,
    issuer_key,
    number_text_peek,
)
from documents.uploads import scan_store

from .. import printing  # a module, not the name: tests replace its renderer
from ..content import meeting_facts, minutes_content, minutes_content_load
from ..models import (
    DOC_TYPE,
    Meeting,
    Minutes,
    MinutesScan,
    MinutesVersion,
)


class _Register(TypedDict):
    issuer: str
    issuer_code: str
    doc_type: str
    year: int


class MinutesPdfUnavailable(Exception):
    """The minutes' PDF could not be made now (render failure, or another request is making it)."""


def _minutes_draft_ensure(meeting: Meeting, by: User | None) -> MinutesVersion:
    """The minutes of a meeting with results start as version 1, a draft that follows the record."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = with_history_user(Minutes(meeting=meeting), by)
        minutes.save()
    current = minutes.versions.order_by("-number").first()
    if current is None:
        current = with_history_user(MinutesVersion(minutes=minutes, number=1, created_by=by), by)
        current.save()
    return current


def minutes_current(meeting: Meeting) -> MinutesVersion | None:
    return (
        MinutesVersion.objects.filter(minutes__meeting=meeting)
        .select_related("document", "minutes")
        .order_by("-number")
        .first()
    )


def minutes_finalise(*, meeting: Meeting, by: User | None, issue_pdf: bool = True) -> MinutesVersion:
    """Make the current draft final: its content is frozen; the number and PDF follow after the commit.

    The PDF is issued by ``minutes_pdf_issue`` on the job queue once the transaction commits; a failure
    there is recorded on the version and never undoes the finalisation. With ``issue_pdf=False`` (the
    demo) the PDF is made on the first download instead.
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("bloc__council", "host_unit")
            .get(pk=meeting.pk)
        )
        if not meeting.is_held:
            raise ValidationError(_("Record the meeting's results before finalising its minutes."))
        version = minutes_current(meeting)
        if version is None or not version.is_draft:
            raise ValidationError(_("There is no draft of the minutes to finalise."))
        version = MinutesVersion.objects.select_for_update().get(pk=version.pk)
        version.content = minutes_content(meeting_facts(meeting)).as_dict()
        version.state = MinutesVersion.State.FINAL
        version.finalised_at = timezone.now()
        version.finalised_by = by
        with_history_user(version, by).save()
        if issue_pdf:
            document_issue_on_commit(minutes_pdf_issue_queued, holder=version, by=by)
        _minutes_final_notify(meeting, version)
    return version


def _minutes_final_notify(meeting: Meeting, version: MinutesVersion) -> None:
    """Tell the users of the bloc's member units of the meeting's year that its minutes are final, in the
    finalisation's transaction (a rolled-back finalisation tells nobody). The notice links to the meeting's
    page, where the minutes' PDF appears once issued."""
    pair = (meeting.bloc_id, meeting.year)
    audience = bloc_year_audience({pair: ()}, members=True)[pair]
    with translation.override(settings.LANGUAGE_CODE):  # stored for everyone: the portal's language
        what = {"bloc": meeting.bloc.name, "year": meeting.year, "meeting": meeting.display_title}
        title = _("%(bloc)s, %(year)s: the minutes of %(meeting)s are final") % what
        body = _("Held on %(date)s.") % {"date": f"{meeting.date:%d/%m/%Y}"}
        if version.number > 1:
            body += "\n" + (
                _("Version %(number)s, a correction: %(reason)s") % {"number": version.number, "reason": version.reason}
            )
    notification_send(
        kind=Notification.Kind.MINUTES_FINAL,
        users=audience,
        title=title,
        url=reverse("meetings:meeting_detail", args=[meeting.pk]),
        body=body,
    )


def minutes_pdf_issue_queued(*, holder_pk: int, by: User | None) -> None:
    """The queue's call after a finalisation commits: the version read again, its PDF issued once."""
    version = MinutesVersion.objects.select_related("minutes__meeting__bloc__council").get(pk=holder_pk)
    try:
        minutes_pdf_issue(version=version, by=by)
    except MinutesPdfUnavailable:
        pass  # recorded on the version and logged; the meeting page offers to make the PDF again


def minutes_pdf_issue(*, version: MinutesVersion, by: User | None) -> IssuedDocument:
    """Number, render and keep the PDF of a final version (once); returns the issued document.

    Called after finalisation commits, again after a failure, and lazily by the first download (the
    demo's final minutes have no PDF until someone opens them), through ``document_issue_once``: the
    number is taken only if the render succeeds; the version is claimed first so two requests never take
    two numbers. The number counts in the register of the calendar year of the meeting's date, the date
    the minutes carry. Call it outside a transaction, so the claim is visible to other requests at once.
    """
    if version.document_id:
        return version.document
    if not version.is_final:
        raise ValidationError(_("Only final minutes have a numbered PDF."))
    content = minutes_content_load(version.content)
    meeting = version.minutes.meeting
    bloc = meeting.bloc

    def spec() -> DocumentSpec:
        return DocumentSpec(
            **_register(bloc, content.date.year),
            title=_register_title(meeting, version),
            subject_key=version.subject_key,
            render=lambda number_text: printing.minutes_pdf_render(
                content=content, number_text=number_text, draft=False
            ),
        )

    return document_issue_once(holder=version, spec=spec, by=by, unavailable=MinutesPdfUnavailable)


def _register(bloc: Bloc, year: int) -> _Register:
    """The register a bloc's minutes are numbered in: the bloc's BB numbers of a calendar year."""
    return {"issuer": issuer_key("bloc", bloc.pk), "issuer_code": bloc.code, "doc_type": DOC_TYPE, "year": year}


def minutes_number_peek(*, meeting: Meeting) -> str:
    """ "01/BB-KTĐ6": the number finalising the meeting's minutes would issue them with now, taking
    nothing. The minutes carry the meeting's date, and ``minutes_pdf_issue`` counts them in that calendar
    year's register (``_register``), so the confirmation page names the number the PDF will print."""
    return number_text_peek(**_register(meeting.bloc, meeting.date.year))


def _register_title(meeting: Meeting, version: MinutesVersion) -> str:
    title = f"Biên bản {meeting.display_title} của {meeting.bloc.name}"
    if version.number > 1:
        title += f" (bản sửa đổi lần {version.number - 1})"
    return title[:255]


def minutes_correction_start(*, meeting: Meeting, reason: str, by: User | None) -> MinutesVersion:
    """Start a correction of final minutes: a new draft version with its reason. The record can then be
    changed and the new version finalised with its own number; earlier versions stay downloadable."""
    reason = nfc_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the minutes are corrected.")]})
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one correction at a time
        current = minutes_current(meeting)
        if current is None or not current.is_final:
            raise ValidationError(_("Only final minutes can be corrected; the current version is still a draft."))
        version = MinutesVersion(minutes=current.minutes, number=current.number + 1, reason=reason, created_by=by)
        try:
            with transaction.atomic():
                with_history_user(version, by).save()
        except IntegrityError as error:
            raise ValidationError(_("A correction of these minutes was started meanwhile.")) from error
    return version


def minutes_scan_upload(*, version: MinutesVersion, file: UploadedFile, by: User | None) -> MinutesScan:
    """Keep a scan of the signed paper minutes of a final version (``documents.uploads.scan_store``: kind
    by content, size limited, checksummed). It becomes the current scan; earlier ones stay."""
    if not version.is_final:
        raise ValidationError({"file": [_("Upload the signed scan once the minutes are final.")]})
    return scan_store(scan=MinutesScan(version=version), file=file, by=by)
