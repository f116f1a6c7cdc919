"""Giao ước thi đua: every change of a pledge. Keyword-only, typed, atomic, composable.

These are the only writers of the pledge tables. Views call them after checking permission
(``blocs.access``); the meetings app will call them too — "the 2022 pledge was signed at the conference
of 27/12/2021" is ``pledge_signatures_record(version=…, signed_on=date(2021, 12, 27), by=…)`` inside the
meeting's own ``transaction.atomic()``, so a failure anywhere rolls everything back.

The PDF of a final version is numbered and rendered after the commit (``transaction.on_commit``), never
inside the transaction: a render failure is recorded on the version (``pdf_error``) and the PDF can be
made again later, but the finalisation itself is never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocs.fields import FIRST_YEAR, LAST_YEAR
from blocs.history import with_history_user
from blocs.models import Bloc, Notification, Unit, User
from blocs.services import notification_send
from blocs.text import nfc, nfc_text
from documents.models import IssuedDocument
from documents.services import (
    DocumentSpec,
    document_issue_on_commit,
    document_issue_once,
    issuer_key,
    number_text_peek,
)
from documents.uploads import scan_store

from .models import (
    DOC_TYPE,
    Pledge,
    PledgeScan,
    PledgeSection,
    PledgeSignatory,
    PledgeVersion,
    default_title,
    document_date,
)
from .printing import pledge_pdf_render, pledge_title_for_register

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SectionText:
    """One section of a draft as the editor sends it, in print order."""

    heading: str
    body: str = ""


class DraftConflict(Exception):
    """Someone else saved the draft after the editor was opened; nothing was saved.

    ``current`` is the version as it is now, to show the user what the other person saved.
    """

    def __init__(self, current: PledgeVersion):
        self.current = current
        super().__init__(f"Draft {current.pk} is at revision {current.revision}")


class PledgePdfUnavailable(Exception):
    """The final PDF could not be made now (render failure, or another request is making it)."""


def _lock_version(version: PledgeVersion) -> PledgeVersion:
    """Re-read the version under a row lock (PostgreSQL; SQLite serialises writers anyway)."""
    return PledgeVersion.objects.select_for_update().select_related("pledge__bloc__council").get(pk=version.pk)


def _require_state(version: PledgeVersion, state: str, message: str) -> None:
    if version.state != state:
        raise ValidationError(message, code="state")


def _copy_source(pledge: Pledge) -> PledgeVersion | None:
    """The version a copy starts from: the newest final one, else the newest of any state."""
    versions = pledge.versions.order_by("-number")
    return versions.filter(state=PledgeVersion.State.FINAL).first() or versions.first()


def _copy_sections(*, source: PledgeVersion | None, target: PledgeVersion, by: User | None) -> None:
    if source is None:
        return
    sections = [
        PledgeSection(version=target, position=section.position, heading=section.heading, body=section.body)
        for section in source.sections.order_by("position")
    ]
    if sections:
        bulk_create_with_history(sections, PledgeSection, default_user=by)


# Creating and drafting -------------------------------------------------------------------------------


def pledge_create(
    *,
    bloc: Bloc,
    year: int,
    by: User | None,
    copy_from: Pledge | None = None,
    title: str | None = None,
) -> Pledge:
    """Start the bloc's pledge for ``year``: version 1, drafting.

    With ``copy_from`` (usually last year's pledge of the same bloc) the draft starts from its text — its
    newest final version — so "start from last year's pledge" is one click; the title is the new year's
    and the signing date is left for the new ceremony.
    """
    errors: dict[str, list[str]] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    if copy_from is not None and copy_from.bloc_id != bloc.pk:
        errors["copy_from"] = [_("A pledge can only be copied from the same bloc's pledges.")]
    if Pledge.objects.filter(bloc=bloc, year=year).exists():
        errors.setdefault("year", []).append(
            _("%(bloc)s already has a pledge for %(year)s.") % {"bloc": bloc.name, "year": year}
        )
    if errors:
        raise ValidationError(errors)

    source = _copy_source(copy_from) if copy_from is not None else None
    now = timezone.now()
    with transaction.atomic():
        pledge = Pledge(bloc=bloc, year=year, copied_from=copy_from, created_by=by, created_at=now)
        with_history_user(pledge, by)
        try:
            with transaction.atomic():  # a savepoint, so the outer transaction survives a lost race
                pledge.save()
        except IntegrityError as error:
            raise ValidationError(
                {"year": [_("%(bloc)s already has a pledge for %(year)s.") % {"bloc": bloc.name, "year": year}]}
            ) from error
        version = PledgeVersion(
            pledge=pledge,
            number=1,
            title=nfc(title) or default_title(year),
            preamble=source.preamble if source else "",
            signing_place=source.signing_place if source else "",
            created_by=by,
            created_at=now,
            updated_by=by,
            updated_at=now,
        )
        with_history_user(version, by).save()
        _copy_sections(source=source, target=version, by=by)
    return pledge


def pledge_draft_save(
    *,
    version: PledgeVersion,
    revision: int,
    title: str,
    preamble: str,
    signing_date: date | None,
    signing_place: str,
    sections: Sequence[SectionText],
    by: User | None,
    text_attached: bool | None = None,
) -> PledgeVersion:
    """Save the text of a draft, if nobody else saved it since ``revision`` was read.

    ``text_attached`` (None: unchanged) says the bloc signs a paper text the portal does not hold.

    The check and the save are one statement's worth of atomicity: the revision is raised with a
    conditional UPDATE (``WHERE revision = <the editor's>``), so of two editors who opened the same
    revision exactly one succeeds; the other gets ``DraftConflict`` with the current text, and nothing of
    theirs is written. Sections are given in print order; an empty one (no heading, no body) is dropped.
    """
    title = nfc(title)
    # Normalised here too: the sections are compared with the stored ones, and empty ones dropped.
    cleaned = [SectionText(heading=nfc(s.heading), body=nfc_text(s.body)) for s in sections]
    cleaned = [s for s in cleaned if s.heading or s.body]
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the pledge a title.")]
    if any(not s.heading for s in cleaned):
        errors["sections"] = [_("Every section needs a heading.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        claimed = PledgeVersion.objects.filter(
            pk=version.pk, state=PledgeVersion.State.DRAFTING, revision=revision
        ).update(revision=revision + 1)
        if not claimed:
            current = PledgeVersion.objects.select_related("updated_by").get(pk=version.pk)
            _require_state(
                current, PledgeVersion.State.DRAFTING, _("This version is no longer a draft; its text cannot change.")
            )
            raise DraftConflict(current)
        locked = _lock_version(version)
        locked.title = title
        locked.preamble = preamble or ""
        locked.signing_date = signing_date
        locked.signing_place = signing_place or ""
        if text_attached is not None:
            locked.text_attached = text_attached
        locked.updated_by = by
        locked.updated_at = timezone.now()
        with_history_user(locked, by).save()

        # Rows keep their position and change their text, so each section's history reads as edits.
        existing = list(locked.sections.order_by("position"))
        for position, text in enumerate(cleaned, start=1):
            if position <= len(existing):
                row = existing[position - 1]
                if (row.heading, row.body) != (text.heading, text.body):
                    row.heading, row.body = text.heading, text.body
                    with_history_user(row, by).save()
            else:
                with_history_user(
                    PledgeSection(version=locked, position=position, heading=text.heading, body=text.body), by
                ).save()
        for row in existing[len(cleaned) :]:
            with_history_user(row, by).delete()
    return locked


# Signing ---------------------------------------------------------------------------------------------


def pledge_signing_open(*, version: PledgeVersion, by: User | None, text_attached: bool | None = None) -> PledgeVersion:
    """Open signing: freeze the signatory list from the year's members in protocol order.

    The text is its sections, or a paper text the portal does not hold (``text_attached``; None keeps
    the draft's choice): nobody has to invent a section to sign what the bloc signs on paper.

    Each signatory is prefilled with its unit's head (name and title), which the unit may correct when
    it signs. From now on the text never changes; a change needs a correction version once final.
    """
    with transaction.atomic():
        locked = _lock_version(version)
        _require_state(locked, PledgeVersion.State.DRAFTING, _("Signing is already open for this version."))
        pledge = locked.pledge
        members = list(pledge.bloc.members(pledge.year))
        errors = []
        if not members:
            errors.append(_("The bloc has no members in %(year)s, so nobody could sign.") % {"year": pledge.year})
        if text_attached is not None:
            locked.text_attached = text_attached
        if not locked.text_attached and not locked.sections.exists():
            errors.append(
                _(
                    "Write at least one section of commitments before signing opens, or say that the text "
                    "is attached (signed on paper, not entered here)."
                )
            )
        if errors:
            raise ValidationError(errors)
        signatories = [
            PledgeSignatory(
                version=locked,
                unit=membership.unit,
                position=position,
                unit_name=membership.unit.name,
                signatory_name=membership.unit.head_name,
                signatory_title=membership.unit.head_title,
            )
            for position, membership in enumerate(members, start=1)
        ]
        bulk_create_with_history(signatories, PledgeSignatory, default_user=by)
        now = timezone.now()
        locked.state = PledgeVersion.State.SIGNING
        locked.signing_opened_by = by
        locked.signing_opened_at = now
        locked.revision += 1
        locked.updated_at = now
        with_history_user(locked, by).save()
        _signing_opened_notify(locked, [signatory.unit_id for signatory in signatories])
    return locked


def _signing_opened_notify(version: PledgeVersion, unit_ids: Sequence[int]) -> None:
    """Tell the users of every signatory unit that their unit may sign now (in the opening's transaction:
    a rolled-back opening tells nobody). The notice links to the unit's signing page."""
    pledge = version.pledge
    with translation.override(settings.LANGUAGE_CODE):  # stored for everyone: the portal's language
        title = _("%(bloc)s: the %(year)s pledge is open for signing") % {"bloc": pledge.bloc.name, "year": pledge.year}
        lines = [_("Your unit checks its signatory's name and title, then signs in the portal.")]
        if version.number > 1:
            lines.append(
                _("Version %(number)s, a correction: %(reason)s") % {"number": version.number, "reason": version.reason}
            )
        body = "\n".join(lines)
    notification_send(
        kind=Notification.Kind.SIGNING_OPENED,
        users=User.objects.of_units(unit_ids),
        title=title,
        url=reverse("pledges:pledge_sign", args=[pledge.pk]),
        body=body,
    )


def _check_signed_on(signed_on: date, field: str = "signed_on") -> None:
    if signed_on > timezone.localdate():
        raise ValidationError({field: [_("The signing date cannot be in the future.")]})


def pledge_sign(
    *,
    version: PledgeVersion,
    unit: Unit,
    by: User | None,
    signatory_name: str,
    signatory_title: str,
    signed_on: date | None = None,
) -> PledgeSignatory:
    """A member unit confirms (or corrects) its signatory's name and title and signs the version.

    Only a frozen signatory signs, and only once. The last signature makes the version final.
    """
    signed_on = signed_on or timezone.localdate()
    signatory_name, signatory_title = nfc(signatory_name), nfc(signatory_title)
    if not signatory_name:
        raise ValidationError({"signatory_name": [_("Enter the name of the person who signs.")]})
    _check_signed_on(signed_on)
    with transaction.atomic():
        locked = _lock_version(version)
        _require_state(locked, PledgeVersion.State.SIGNING, _("This version is not open for signing."))
        signatory = locked.signatories.filter(unit=unit).first()
        if signatory is None:
            raise ValidationError(
                _("%(unit)s is not a signatory of this pledge.") % {"unit": unit.name}, code="not_signatory"
            )
        if signatory.is_signed:
            raise ValidationError(
                _("%(unit)s already signed this version on %(date)s.")
                % {"unit": signatory.unit_name, "date": signatory.signed_on.strftime("%d/%m/%Y")},
                code="already_signed",
            )
        signatory.signatory_name = signatory_name
        signatory.signatory_title = signatory_title
        signatory.confirmed = True
        signatory.signed_on = signed_on
        signatory.signed_at = timezone.now()
        signatory.method = PledgeSignatory.Method.PORTAL
        signatory.recorded_by = by
        with_history_user(signatory, by).save()
        _finalise_if_complete(locked, by)
    return signatory


def pledge_signatures_record(
    *,
    version: PledgeVersion,
    signed_on: date,
    by: User | None,
    units: Iterable[Unit | int] | None = None,
    dates: Mapping[int, date] | None = None,
    names: Mapping[int, tuple[str, str]] | None = None,
) -> list[PledgeSignatory]:
    """Record the signatures of a paper signing ceremony, many units at once.

    ``units`` are the units that signed (unit objects or ids); None means every unit that has not signed
    yet — "all members signed at the conference on ``signed_on``". ``dates`` gives a unit's own date
    where it differs, ``names`` a corrected (name, title) of its signatory. Units that already signed
    keep their signature as given. The last signature makes the version final. Returns the signatories
    signed now.
    """
    dates = dict(dates or {})
    names = dict(names or {})
    _check_signed_on(signed_on)
    for unit_id, day in dates.items():
        _check_signed_on(day, field=f"date_{unit_id}")
    with transaction.atomic():
        locked = _lock_version(version)
        _require_state(locked, PledgeVersion.State.SIGNING, _("This version is not open for signing."))
        signatories = {s.unit_id: s for s in locked.signatories.all()}
        if units is None:
            wanted = [unit_id for unit_id, s in signatories.items() if not s.is_signed]
        else:
            wanted = [unit if isinstance(unit, int) else unit.pk for unit in units]
            strangers = [unit_id for unit_id in wanted if unit_id not in signatories]
            if strangers:
                names_of = dict(Unit.objects.filter(pk__in=strangers).values_list("pk", "name"))
                raise ValidationError(
                    _("Not signatories of this pledge: %(units)s.")
                    % {"units": ", ".join(names_of.get(pk, str(pk)) for pk in strangers)},
                    code="not_signatory",
                )
            if not wanted:
                raise ValidationError(_("Tick at least one unit that signed."), code="empty")
        now = timezone.now()
        recorded = []
        for unit_id in wanted:
            signatory = signatories[unit_id]
            if signatory.is_signed:
                continue  # a unit signs a version once; its signature stays as given
            if unit_id in names:
                name, title = (nfc(part) for part in names[unit_id])
                if name:
                    signatory.signatory_name = name
                signatory.signatory_title = title or signatory.signatory_title
            signatory.signed_on = dates.get(unit_id, signed_on)
            signatory.signed_at = now
            signatory.method = PledgeSignatory.Method.PAPER
            signatory.recorded_by = by
            recorded.append(signatory)
        # One UPDATE and one history INSERT for the whole ceremony, not a save per unit: the queries do
        # not grow with the members, and the history still gets a row per signature, naming ``by``.
        bulk_update_with_history(
            recorded,
            PledgeSignatory,
            ["signatory_name", "signatory_title", "signed_on", "signed_at", "method", "recorded_by"],
            default_user=by,
        )
        _finalise_if_complete(locked, by)
    return recorded


def _finalise_if_complete(version: PledgeVersion, by: User | None) -> None:
    if not version.signatories.filter(signed_on__isnull=True).exists():
        _finalise(version, by, closed_early=False)


def pledge_finalise(*, version: PledgeVersion, by: User | None, close_early: bool = False) -> PledgeVersion:
    """Make a version final: when every unit has signed, or when the chair closes signing early.

    The text never changes again. The number ("Số: 01/GU-KTĐ6") is taken and the PDF rendered and kept
    after the commit; see ``pledge_pdf_issue``.
    """
    with transaction.atomic():
        locked = _lock_version(version)
        _require_state(locked, PledgeVersion.State.SIGNING, _("Only a version being signed can be made final."))
        total = locked.signatories.count()
        signed = locked.signatories.filter(signed_on__isnull=False).count()
        if signed == 0:
            raise ValidationError(_("No unit has signed yet, so signing cannot be closed."), code="none_signed")
        if signed < total and not close_early:
            raise ValidationError(
                _("Only %(signed)s of %(total)s units have signed; close signing early to finalise anyway.")
                % {"signed": signed, "total": total},
                code="not_all_signed",
            )
        _finalise(locked, by, closed_early=signed < total)
    return locked


def _finalise(version: PledgeVersion, by: User | None, *, closed_early: bool) -> None:
    now = timezone.now()
    version.state = PledgeVersion.State.FINAL
    version.finalised_by = by
    version.finalised_at = now
    version.closed_early = closed_early
    version.revision += 1
    version.updated_at = now
    with_history_user(version, by).save()
    document_issue_on_commit(pledge_pdf_issue_queued, holder=version, by=by)


def pledge_pdf_issue_queued(*, holder_pk: int, by: User | None) -> None:
    """The queue's call after a finalisation commits: the version read again, its PDF issued once."""
    version = PledgeVersion.objects.select_related("pledge__bloc__council").get(pk=holder_pk)
    try:
        pledge_pdf_issue(version=version, by=by)
    except PledgePdfUnavailable:
        pass  # kept on the version and logged; the pledge page offers to make the PDF again


# The final PDF ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Register:
    issuer: str
    issuer_code: str
    doc_type: str
    year: int


def _register(version: PledgeVersion) -> _Register:
    """The register a version's PDF is numbered in: the bloc's GU numbers of the calendar year of the
    date the document carries (``document_date``; a version finalised now carries today's date)."""
    bloc = version.pledge.bloc
    signed = version.signatories.exclude(signed_on=None).values_list("signed_on", flat=True)
    day = document_date(version, list(signed)) or timezone.localdate()
    return _Register(issuer=issuer_key("bloc", bloc.pk), issuer_code=bloc.code, doc_type=DOC_TYPE, year=day.year)


def pledge_number_peek(*, version: PledgeVersion) -> str:
    """ "02/GU-KTĐ6": the number the version's PDF would be issued with now (after its finalisation, or
    again after a failure), in the register ``pledge_pdf_issue`` uses; nothing is taken."""
    register = _register(version)
    return number_text_peek(
        issuer=register.issuer, issuer_code=register.issuer_code, doc_type=register.doc_type, year=register.year
    )


def pledge_pdf_issue(*, version: PledgeVersion, by: User | None) -> IssuedDocument:
    """Number, render and keep the PDF of a final version (once); returns the issued document.

    Called after finalisation commits, again by a preparer after a failure, and lazily by the first
    download, through ``documents.services.document_issue_once``: the number is taken only if the render
    succeeds, and two requests never both issue (that would use two numbers): one claims the version, the
    other is told to wait. On failure the error is kept on the version and
    ``PledgePdfUnavailable`` is raised. Call it outside a transaction (views:
    ``transaction.non_atomic_requests``) so the claim is visible to other requests at once.
    """
    if version.document_id:
        return version.document
    if not version.is_final:
        raise ValidationError(_("Only a final version has a numbered PDF."), code="state")

    def spec() -> DocumentSpec:
        register = _register(version)
        return DocumentSpec(
            issuer=register.issuer,
            issuer_code=register.issuer_code,
            doc_type=register.doc_type,
            year=register.year,
            title=pledge_title_for_register(version),
            subject_key=version.subject_key,
            render=lambda number_text: pledge_pdf_render(version=version, number_text=number_text),
        )

    return document_issue_once(holder=version, spec=spec, by=by, unavailable=PledgePdfUnavailable)


# Corrections and scans -------------------------------------------------------------------------------


def pledge_correction_start(*, pledge: Pledge, reason: str, by: User | None) -> PledgeVersion:
    """Start a correction of a final pledge: a new drafting version with a reason, copying the text.

    The earlier versions, their signatures and scans stay as they were, readable; the new version is
    signed anew.
    """
    reason = nfc_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the pledge is corrected.")]})
    with transaction.atomic():
        Pledge.objects.select_for_update().filter(pk=pledge.pk).first()  # one correction at a time
        current = pledge.versions.order_by("-number").first()
        if current is None or not current.is_final:
            raise ValidationError(
                _("Only a final pledge can be corrected; finish the current version first."), code="state"
            )
        now = timezone.now()
        version = PledgeVersion(
            pledge=pledge,
            number=current.number + 1,
            reason=reason,
            title=current.title,
            preamble=current.preamble,
            signing_place=current.signing_place,
            created_by=by,
            created_at=now,
            updated_by=by,
            updated_at=now,
        )
        try:
            with transaction.atomic():
                with_history_user(version, by).save()
        except IntegrityError as error:
            raise ValidationError(_("A correction of this pledge was started meanwhile."), code="race") from error
        _copy_sections(source=current, target=version, by=by)
    return version


def pledge_scan_upload(*, version: PledgeVersion, file: UploadedFile, by: User | None) -> PledgeScan:
    """Keep a scanned signed copy of a version (``documents.uploads.scan_store``: kind by content, size
    limited, checksummed). It becomes the version's current scan; earlier scans stay listed."""
    if version.is_drafting:
        raise ValidationError({"file": [_("Upload the signed copy once signing has opened.")]})
    return scan_store(scan=PledgeScan(version=version), file=file, by=by)
