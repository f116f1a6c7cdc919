"""Numbering and issuing documents. Keyword-only, atomic, composable (HackSoft style).

Numbers ("Số: 01/DS-KTĐ6") count per issuer, per document type, per calendar year of issue. A draft
shows "…/DS-KTĐ6"; the number is taken when the document is issued, and an officer may correct it.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import DocumentCounter, IssuedDocument

logger = logging.getLogger(__name__)

# A draft's number: the number is left blank until the document is issued (Decree 30 practice).
DRAFT_NUMBER = "…"
# How often document_issue renders again when another process took the number it rendered with.
ISSUE_ATTEMPTS = 5


class DocumentRenderError(Exception):
    """Rendering a document failed; no number was taken and nothing was saved."""


class DocumentNumberRace(Exception):
    """Another process kept taking the number a document was rendered with (very unlikely)."""


class _NumberTaken(Exception):
    """Internal: roll back the counter increment of one issue attempt."""


def issuer_key(kind: str, pk: int) -> str:
    """The issuer key of an object: ``issuer_key("bloc", 12) == "bloc:12"``."""
    return f"{kind}:{pk}"


def issuer_parse(issuer: str) -> tuple[str, int] | None:
    """``"bloc:12"`` → ``("bloc", 12)``; None for a key that is not ``kind:<integer>``."""
    kind, _sep, pk = issuer.partition(":")
    if not kind or not pk.isdigit():
        return None
    return kind, int(pk)


def number_format(*, number: int | None, doc_type: str, issuer_code: str) -> str:
    """ "01/DS-KTĐ6": the number zero-padded to two digits; "…/DS-KTĐ6" for a draft (``number=None``)."""
    shown = DRAFT_NUMBER if number is None else f"{number:02d}"
    return unicodedata.normalize("NFC", f"{shown}/{doc_type}-{issuer_code}")


def _first_free(*, issuer: str, doc_type: str, year: int, after: int) -> int:
    """The first number above ``after`` that no issued document holds.

    The counter and the documents agree unless an officer corrected a number; skipping a number held by a
    corrected document keeps the unique constraint from failing later.
    """
    taken = set(
        IssuedDocument.objects.filter(
            issuer=issuer, doc_type=doc_type, year=year, number__gt=after
        ).values_list("number", flat=True)
    )
    number = after + 1
    while number in taken:
        number += 1
    return number


def number_peek(*, issuer: str, doc_type: str, year: int) -> int:
    """The number ``number_next`` would give now, without taking it (no lock, nothing written)."""
    last = (
        DocumentCounter.objects.filter(issuer=issuer, doc_type=doc_type, year=year)
        .values_list("last_number", flat=True)
        .first()
    )
    return _first_free(issuer=issuer, doc_type=doc_type, year=year, after=last or 0)


def number_next(*, issuer: str, doc_type: str, year: int) -> int:
    """Take the next number of the register (issuer, type, calendar year) and return it.

    The counter row is created if missing, then locked with SELECT … FOR UPDATE, so two processes never
    get the same number on PostgreSQL (the second waits for the first to commit); SQLite serialises
    writers anyway. The number stays taken only if the caller's transaction commits.
    """
    with transaction.atomic():
        counter, _created = DocumentCounter.objects.get_or_create(issuer=issuer, doc_type=doc_type, year=year)
        counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last_number = _first_free(
            issuer=issuer, doc_type=doc_type, year=year, after=counter.last_number
        )
        counter.save(update_fields=["last_number"])
        return counter.last_number


def _file_name(*, doc_type: str, issuer_code: str, year: int, number: int) -> str:
    # Storage back ends (S3 included) are happiest with ASCII names; đ has no decomposition, so map it.
    code = slugify(issuer_code.replace("đ", "d").replace("Đ", "D")) or "doc"
    return f"{slugify(doc_type) or 'doc'}-{number:02d}-{code}-{year}.pdf"


def _render(render: Callable[[str], bytes], number_text: str) -> bytes:
    try:
        pdf = render(number_text)
    except Exception as error:
        logger.exception("Rendering document %s failed", number_text)
        raise DocumentRenderError(
            _("The document could not be rendered (%(error)s); no number was taken.") % {"error": error}
        ) from error
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        raise DocumentRenderError(_("The document renderer did not return a PDF; no number was taken."))
    return pdf


def document_issue(
    *,
    issuer: str,
    issuer_code: str,
    doc_type: str,
    year: int,
    title: str,
    subject_key: str,
    render: Callable[[str], bytes],
    by,
) -> IssuedDocument:
    """Give a document the next number of its register, render it with that number and keep the PDF.

    Why this order: the PDF prints its own number, so the number must be known before rendering, yet
    rendering must happen outside the transaction (DESIGN section 6) and a render failure must neither
    consume a number nor leave anything half-saved. So each attempt

    1. peeks at the would-be number (no lock, nothing written),
    2. renders with it, outside any transaction of ours — a failure raises ``DocumentRenderError`` and
       nothing at all has been written,
    3. in one atomic block takes the number for real (locking the counter) and, if it is the one the PDF
       shows, stores the file and the record; if another process took that number in between, the block
       rolls back (giving the number back) and the attempt starts again with a fresh render.

    Rendering under the counter lock would serialise every issuer's documents behind a slow render; the
    optimistic retry costs a second render only in the rare race. Call it outside an outer transaction
    (views: ``transaction.non_atomic_requests``) so the lock is held only for the short final block.
    """
    for _attempt in range(ISSUE_ATTEMPTS):
        expected = number_peek(issuer=issuer, doc_type=doc_type, year=year)
        number_text = number_format(number=expected, doc_type=doc_type, issuer_code=issuer_code)
        pdf = _render(render, number_text)
        try:
            return _document_store(
                issuer=issuer,
                issuer_code=issuer_code,
                doc_type=doc_type,
                year=year,
                expected=expected,
                number_text=number_text,
                title=title,
                subject_key=subject_key,
                pdf=pdf,
                by=by,
            )
        except _NumberTaken:
            logger.info("Number %s of %s was taken meanwhile; rendering again", number_text, issuer)
    raise DocumentNumberRace(_("Other documents kept taking the number; please try again."))


def _document_store(
    *,
    issuer: str,
    issuer_code: str,
    doc_type: str,
    year: int,
    expected: int,
    number_text: str,
    title: str,
    subject_key: str,
    pdf: bytes,
    by,
) -> IssuedDocument:
    """Take the number and store the rendered PDF, all or nothing (raises ``_NumberTaken`` on a race)."""
    with transaction.atomic():
        number = number_next(issuer=issuer, doc_type=doc_type, year=year)
        if number != expected:
            raise _NumberTaken  # leaving the block rolls the counter back
        document = IssuedDocument(
            issuer=issuer,
            issuer_code=issuer_code,
            doc_type=doc_type,
            year=year,
            number=number,
            number_text=number_text,
            title=title,
            subject_key=subject_key,
            sha256=hashlib.sha256(pdf).hexdigest(),
            issued_at=timezone.now(),
            issued_by=by,
        )
        document._history_user = by  # read by django-simple-history outside a request too
        name = _file_name(doc_type=doc_type, issuer_code=issuer_code, year=year, number=number)
        document.file.save(name, ContentFile(pdf), save=False)
        try:
            document.save()
        except Exception:
            # The storage is outside the transaction: do not leave an orphan file behind.
            document.file.delete(save=False)
            raise
    return document


def document_number_correct(
    *,
    document: IssuedDocument,
    number: int,
    by,
    reason: str,
    render: Callable[[str], bytes] | None = None,
) -> IssuedDocument:
    """An officer corrects the number of an issued document (e.g. to match the paper register).

    The number must be free in the document's register. The register then continues after the highest
    number used, so the next document does not collide. The reason is kept in the document's history.
    With ``render``, the PDF is rendered again with the new number (outside the transaction); the old
    file stays in storage so the history still points at what was issued first.
    """
    reason = unicodedata.normalize("NFC", reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the number is corrected.")]
    if number is None or number < 1:
        errors["number"] = [_("The number must be 1 or more.")]
    elif number == document.number:
        errors["number"] = [_("This is already the document's number.")]
    elif (
        IssuedDocument.objects.filter(
            issuer=document.issuer, doc_type=document.doc_type, year=document.year, number=number
        )
        .exclude(pk=document.pk)
        .exists()
    ):
        errors["number"] = [
            _("Number %(number)s is already used by another document of %(year)s.")
            % {"number": f"{number:02d}", "year": document.year}
        ]
    if errors:
        raise ValidationError(errors)

    number_text = number_format(number=number, doc_type=document.doc_type, issuer_code=document.issuer_code)
    pdf = _render(render, number_text) if render is not None else None

    with transaction.atomic():
        counter, _created = DocumentCounter.objects.get_or_create(
            issuer=document.issuer, doc_type=document.doc_type, year=document.year
        )
        counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
        if number > counter.last_number:
            counter.last_number = number
            counter.save(update_fields=["last_number"])
        document.number = number
        document.number_text = number_text
        if pdf is not None:
            document.sha256 = hashlib.sha256(pdf).hexdigest()
            name = _file_name(
                doc_type=document.doc_type,
                issuer_code=document.issuer_code,
                year=document.year,
                number=number,
            )
            document.file.save(name, ContentFile(pdf), save=False)
        document._change_reason = reason  # read by django-simple-history
        document._history_user = by
        document.save()
    return document


# Issuing a version's document once --------------------------------------------------------------------

# A claim older than this is taken to be from a process that died while rendering.
ISSUE_CLAIM_TIMEOUT = timedelta(minutes=3)


def document_issue_once(
    *, holder, subject_key: str, issue: Callable[[], IssuedDocument], by, unavailable: type[Exception]
) -> IssuedDocument:
    """Issue the numbered document of ``holder`` exactly once and link it to ``holder``.

    ``holder`` is a row with ``document`` (FK to IssuedDocument), ``pdf_error`` and ``pdf_claimed_at``
    (a final pledge version, final minutes). Called after finalisation commits, after a failure, and
    lazily by the first download. Two requests must not both issue (that would use two numbers), so one
    claims the row first with a conditional UPDATE and the other is told to wait. ``issue`` calls
    ``document_issue``, which takes the number only if the render succeeds; a failure is kept on the row
    and raised as ``unavailable``. Call it outside a transaction so the claim is visible at once.
    """
    model = type(holder)
    if holder.document_id:
        return holder.document
    # Issued already (e.g. the process died before linking it): link it instead of taking a new number.
    existing = IssuedDocument.objects.for_subject(subject_key).first()
    if existing is not None:
        return _holder_link(holder, existing, by)

    now = timezone.now()
    claimed = (
        model.objects.filter(pk=holder.pk, document__isnull=True)
        .filter(Q(pdf_claimed_at__isnull=True) | Q(pdf_claimed_at__lt=now - ISSUE_CLAIM_TIMEOUT))
        .update(pdf_claimed_at=now)
    )
    if not claimed:
        holder.refresh_from_db()
        if holder.document_id:
            return holder.document
        raise unavailable(_("The PDF is being made right now; try again in a moment."))
    try:
        document = issue()
    except (DocumentRenderError, DocumentNumberRace) as error:
        logger.warning("PDF of %s %s not made: %s", model._meta.model_name, holder.pk, error)
        model.objects.filter(pk=holder.pk).update(pdf_error=str(error)[:2000], pdf_claimed_at=None)
        holder.pdf_error = str(error)
        raise unavailable(str(error)) from error
    except Exception:
        model.objects.filter(pk=holder.pk).update(pdf_claimed_at=None)
        raise
    return _holder_link(holder, document, by)


def _holder_link(holder, document: IssuedDocument, by) -> IssuedDocument:
    with transaction.atomic():
        locked = type(holder).objects.select_for_update().get(pk=holder.pk)
        locked.document = document
        locked.pdf_error = ""
        locked.pdf_claimed_at = None
        locked._history_user = by  # read by django-simple-history outside a request too
        locked.save()
    holder.document = document
    holder.pdf_error = ""
    return document
