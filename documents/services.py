"""Numbering and issuing documents. Keyword-only, atomic, composable (HackSoft style).

Numbers ("Số: 01/DS-KTĐ6") count per issuer, per document type, per calendar year of issue. A draft
shows "…/DS-KTĐ6"; the number is taken when the document is issued, and an officer may correct it.

Every numbered document belongs to a holder row (``documents.models.Issuable``: a final pledge version,
final minutes, a submission's cover letter, an issued copy of a membership list) and is issued through
``document_issue_once``, so a double click or two first downloads never take two numbers. The numbering
itself (``_document_issue``) is private to this module; a test checks nothing else calls it.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from blocs.history import with_history_user

from .models import DocumentCounter, Issuable, IssuedDocument

if TYPE_CHECKING:
    from blocs.models import User  # the user model (typing only)

logger = logging.getLogger(__name__)

# A draft's number: the number is left blank until the document is issued (Decree 30 practice).
DRAFT_NUMBER = "…"


class DocumentRenderError(Exception):
    """Rendering a document failed; no number was taken and nothing was saved."""


class DocumentUnavailable(Exception):
    """The holder's document cannot be given now: its render failed (kept in ``pdf_error``) or another
    request is issuing it at this moment."""


class _NumberTaken(Exception):
    """Internal: roll back the counter increment of an optimistic attempt."""


class _AlreadyIssued(Exception):
    """Internal: the holder got its document from another process meanwhile; roll back ours."""

    def __init__(self, document: IssuedDocument):
        super().__init__(document.number_text)
        self.document = document


@dataclass(frozen=True)
class DocumentSpec:
    """What a holder's numbered document is: its register (issuer, type, calendar year of issue), the
    register's title and subject, and how to render it once its number is known."""

    issuer: str
    issuer_code: str
    doc_type: str
    year: int
    title: str
    subject_key: str
    render: Callable[[str], bytes]


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
        IssuedDocument.objects.filter(issuer=issuer, doc_type=doc_type, year=year, number__gt=after).values_list(
            "number", flat=True
        )
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


def number_text_peek(*, issuer: str, issuer_code: str, doc_type: str, year: int) -> str:
    """ "03/BB-KTĐ6": the number the next document of this register would be issued with now, as it
    prints, without taking it; what a confirmation page promises (``document_issue_once`` renders the
    document with the same peek). Another issue of the same register before the confirmation moves it on.
    """
    number = number_peek(issuer=issuer, doc_type=doc_type, year=year)
    return number_format(number=number, doc_type=doc_type, issuer_code=issuer_code)


def number_next(*, issuer: str, doc_type: str, year: int) -> int:
    """Take the next number of the register (issuer, type, calendar year) and return it.

    The counter row is created if missing, then locked with SELECT … FOR UPDATE, so two processes never
    get the same number on PostgreSQL (the second waits for the first to commit); SQLite serialises
    writers anyway. The number stays taken only if the caller's transaction commits.
    """
    with transaction.atomic():
        counter, _created = DocumentCounter.objects.get_or_create(issuer=issuer, doc_type=doc_type, year=year)
        counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last_number = _first_free(issuer=issuer, doc_type=doc_type, year=year, after=counter.last_number)
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


def _document_issue(*, spec: DocumentSpec, by: User | None, holder: Issuable | None = None) -> IssuedDocument:
    """Give the document ``spec`` describes the next number of its register, render it with that number
    and keep the PDF (linked to ``holder`` in the same transaction). Private: callers go through
    ``document_issue_once``.

    The PDF prints its own number, so the number must be known before rendering; a render failure must
    neither consume a number nor leave anything half-saved; and numbering must never give up however many
    documents of one register are issued at once. So:

    1. Optimistic attempt, the usual case: peek at the would-be number (no lock, nothing written), render
       with it outside any transaction, then in one short atomic block take the number for real (locking
       the register's counter row) and keep the PDF if the number is the one it shows. No lock is held
       while rendering, so a slow render holds nobody up — on SQLite, where a write transaction locks the
       whole database, this matters for every page.
    2. If another process took that number meanwhile, the block rolls back (giving the number back) and
       the issue waits its turn on the register's counter lock (SELECT … FOR UPDATE, no time limit), takes
       the next number and renders under the lock. Nobody else can take a number of this register while
       the lock is held, so this second attempt cannot lose: every issue succeeds, with at most two renders,
       and the numbers stay unique and gapless (a render failure rolls the number back). Only issues of the
       same register (issuer, type, year) that lost a race wait on each other, one render each; other
       registers are never held up. Retrying the optimistic attempt instead would need no lock but could
       lose again and again under contention (ten issues at once cost up to 55 renders) and would need a
       limit, which is what made requests fail.

    Call it outside an outer transaction (views: ``transaction.non_atomic_requests``) so the lock is held
    only for the final block, or for one render under contention.
    """
    issuer, doc_type, issuer_code = spec.issuer, spec.doc_type, spec.issuer_code
    expected = number_peek(issuer=issuer, doc_type=doc_type, year=spec.year)
    number_text = number_format(number=expected, doc_type=doc_type, issuer_code=issuer_code)
    pdf = _render(spec.render, number_text)
    try:
        with transaction.atomic():
            number = number_next(issuer=issuer, doc_type=doc_type, year=spec.year)
            if number != expected:
                raise _NumberTaken  # leaving the block rolls the counter back
            return _document_keep(spec=spec, number=number, number_text=number_text, pdf=pdf, by=by, holder=holder)
    except _NumberTaken:
        logger.info("Number %s of %s was taken meanwhile; issuing under the register's lock", number_text, issuer)
    except _AlreadyIssued as issued:
        return issued.document
    try:
        with transaction.atomic():
            # waits for the register's lock and holds it until the commit
            number = number_next(issuer=issuer, doc_type=doc_type, year=spec.year)
            number_text = number_format(number=number, doc_type=doc_type, issuer_code=issuer_code)
            pdf = _render(spec.render, number_text)  # a failure leaves the block: the number is given back
            return _document_keep(spec=spec, number=number, number_text=number_text, pdf=pdf, by=by, holder=holder)
    except _AlreadyIssued as issued:
        return issued.document


def _document_keep(
    *, spec: DocumentSpec, number: int, number_text: str, pdf: bytes, by: User | None, holder: Issuable | None
) -> IssuedDocument:
    """Store the rendered PDF and its record under a number already taken, and link the holder; runs
    inside the caller's atomic block (raises ``_AlreadyIssued`` if the holder got a document meanwhile)."""
    locked = None
    if holder is not None:
        locked = type(holder)._default_manager.select_for_update().get(pk=holder.pk)
        if locked.document is not None:  # our claim had expired and another process issued it: keep theirs
            raise _AlreadyIssued(locked.document)
    document = IssuedDocument(
        issuer=spec.issuer,
        issuer_code=spec.issuer_code,
        doc_type=spec.doc_type,
        year=spec.year,
        number=number,
        number_text=number_text,
        title=spec.title,
        subject_key=spec.subject_key,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=timezone.now(),
        issued_by=by,
    )
    with_history_user(document, by)
    name = _file_name(doc_type=spec.doc_type, issuer_code=spec.issuer_code, year=spec.year, number=number)
    document.file.save(name, ContentFile(pdf), save=False)
    try:
        document.save()
        if locked is not None:
            locked.document = document
            locked.pdf_error = ""
            locked.pdf_claimed_at = None
            with_history_user(locked, by)
            locked.save(update_fields=["document", "pdf_error", "pdf_claimed_at"])
    except Exception:
        # The storage is outside the transaction: do not leave an orphan file behind.
        document.file.delete(save=False)
        raise
    return document


def document_number_correct(
    *,
    document: IssuedDocument,
    number: int,
    by: User | None,
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
        document._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
        with_history_user(document, by)
        document.save()
    return document


# Issuing a holder's document once ------------------------------------------------------------------

# A claim older than this is taken to be from a process that died while rendering.
ISSUE_CLAIM_TIMEOUT = timedelta(minutes=3)


def document_issue_once(
    *,
    holder: Issuable,
    spec: Callable[[], DocumentSpec],
    by: User | None,
    unavailable: type[Exception] = DocumentUnavailable,
) -> IssuedDocument:
    """Issue the numbered document of ``holder`` exactly once; the one way to issue a numbered document.

    Called after a finalisation commits, by an "issue" button, again after a failure, and lazily by a
    first download. Two requests must not both issue (that would use two numbers), so one claims the row
    first with a conditional UPDATE and the other is told it is being made (or gets the document, if it
    is there by then). ``spec`` says what to issue; it is called only by the request that holds the claim.
    The number is taken only if the render succeeds, and the document is linked to the holder in the
    transaction that stores it, so there is never an issued document without its holder. A render failure
    is kept in ``pdf_error`` and raised as ``unavailable``. Call it outside a transaction so the claim is
    visible to other requests at once.
    """
    model = type(holder)
    if holder.document is not None:
        return holder.document
    now = timezone.now()
    claimed = (
        model._default_manager.filter(pk=holder.pk, document__isnull=True)
        .filter(Q(pdf_claimed_at__isnull=True) | Q(pdf_claimed_at__lt=now - ISSUE_CLAIM_TIMEOUT))
        .update(pdf_claimed_at=now)
    )
    if not claimed:
        holder.refresh_from_db(fields=["document", "pdf_error", "pdf_claimed_at"])
        if holder.document is not None:
            return holder.document
        raise unavailable(_("The PDF is being made right now; try again in a moment."))
    try:
        document = _document_issue(spec=spec(), by=by, holder=holder)
    except DocumentRenderError as error:
        logger.warning("PDF of %s %s not made: %s", model._meta.model_name, holder.pk, error)
        model._default_manager.filter(pk=holder.pk).update(pdf_error=str(error)[:2000], pdf_claimed_at=None)
        holder.pdf_error = str(error)
        raise unavailable(str(error)) from error
    except BaseException:
        model._default_manager.filter(pk=holder.pk).update(pdf_claimed_at=None)
        raise
    holder.document = document
    holder.pdf_error = ""
    holder.pdf_claimed_at = None
    return document


def document_issue_on_commit(issue: Callable[..., object], *, holder: Issuable, by: User | None) -> None:
    """After the outermost commit, put ``issue(holder_pk=…, by=…)`` on the job queue (``issue_document``).

    A finalisation commits first and its document follows off the request (the worker; in development and
    tests the request's own process after the commit), so a render failure never loses the finalisation,
    and a conference or signing that records it in its own transaction gets the document only once
    everything is saved. ``issue`` is a module-level function of the holder's app that reads the holder
    again (the caller's instance may be stale by then), calls ``document_issue_once`` and keeps an
    ``unavailable`` failure on the holder (``pdf_error``) — the holder's page offers to make it again, and a
    first download issues it too. The queue carries only its dotted path and the ids (JSON arguments).
    """
    path = f"{issue.__module__}.{issue.__qualname__}"
    try:
        found = import_string(path)
    except ImportError:
        found = None
    if found is not issue:
        raise TypeError(f"{path} is not a module-level function the queue can find again")
    holder_pk, by_pk = holder.pk, getattr(by, "pk", None)
    transaction.on_commit(lambda: _enqueue_issue(path, holder_pk, by_pk), robust=True)


def _enqueue_issue(path: str, holder_pk: int, by_pk: int | None) -> None:
    issue_document.enqueue(issue=path, holder_pk=holder_pk, by_pk=by_pk)


@task()
def issue_document(*, issue: str, holder_pk: int, by_pk: int | None) -> None:
    """The queue's entry point for a numbered document scheduled by ``document_issue_on_commit``."""
    by = get_user_model()._default_manager.filter(pk=by_pk).first() if by_pk else None
    import_string(issue)(holder_pk=holder_pk, by=by)
