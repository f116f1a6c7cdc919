"""Issued documents and their number registers.

``documents`` is the lowest utility app: it knows nothing of blocs, councils or meetings. An issuer is a
string key such as ``"bloc:12"`` or ``"council:3"``; the app that issues a document decides what the key
means and checks permissions on it. Numbers count per issuer, per document type, per calendar year of
issue (Decree 30/2020: "Số: 01/BB-KTĐ6" restarts at 01 every January).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The stored form of text (blocs.fields imports nothing of the portal but blocs.text: no domain coupling).
from blocs.fields import NFCCharField, NFCTextField

SHA256_VALIDATOR = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 checksum is 64 lower-case hexadecimal digits."))


class DocumentCounter(models.Model):
    """The register of one issuer's numbers of one document type in one calendar year."""

    issuer = models.CharField(_("issuer"), max_length=50, help_text=_("E.g. “bloc:12” or “council:3”."))
    doc_type = models.CharField(_("document type"), max_length=10, help_text=_("E.g. BB, GU, DS, TTr."))
    year = models.PositiveSmallIntegerField(_("year of issue"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        ordering = ["issuer", "doc_type", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "doc_type", "year"], name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.doc_type} {self.year}: {self.last_number}"


class IssuedDocumentQuerySet(models.QuerySet["IssuedDocument"]):
    def for_subject(self, subject_key: str) -> IssuedDocumentQuerySet:
        """The documents issued about one object, newest first."""
        return self.filter(subject_key=subject_key).order_by("-issued_at", "-id")

    def of_issuer(self, issuer: str) -> IssuedDocumentQuerySet:
        return self.filter(issuer=issuer)


def _upload_to(instance: IssuedDocument, filename: str) -> str:
    # By year of issue, like a paper register; the storage API adds a suffix if the name is taken.
    return f"documents/{instance.year}/{filename}"


class IssuedDocument(models.Model):
    """A numbered document as it was issued: the PDF, its checksum, who issued it and when."""

    issuer = models.CharField(_("issuer"), max_length=50, db_index=True)
    issuer_code = NFCCharField(
        _("issuer code"),
        max_length=30,
        help_text=_("The code printed after the type, e.g. “KTĐ6” in “01/DS-KTĐ6”."),
    )
    doc_type = models.CharField(_("document type"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year of issue"))
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    number_text = NFCCharField(_("number as printed"), max_length=60)
    title = NFCCharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, validators=[SHA256_VALIDATOR])
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    subject_key = models.CharField(
        _("subject"),
        max_length=200,
        db_index=True,
        help_text=_("What the document is about, e.g. “membership_list:bloc=12:year=2021”."),
    )
    # A number correction's reason goes into the history; it may be longer than the default 100 chars.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "year", "number"], name="issued_document_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_document_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number_text} — {self.title}"


class Issuable(models.Model):
    """A row that carries one numbered document (văn bản có số): a final pledge version, final minutes, a
    submission's cover letter (tờ trình), an issued copy of a bloc's membership list.

    Abstract. ``documents.services.document_issue_once`` is the one way to give such a row its document:
    it claims the row (``pdf_claimed_at``) so two requests never take two numbers, links the document
    in the transaction that stores it, and keeps a render failure in ``pdf_error``. There is no public
    way to issue a numbered document without a holder, so every numbered document is issued once.
    A concrete model may declare ``document`` again to name the reverse accessor.
    """

    document = models.OneToOneField(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued document"),
    )
    # A failed render is recorded here, never lost; the document can be issued again.
    pdf_error = NFCTextField(_("PDF error"), blank=True)
    # Set while one process renders the document, so a second request does not take a second number.
    pdf_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def _scan_upload_to(instance: Scan, filename: str) -> str:
    # Each concrete scan names its own folder and file (ASCII only: object stores prefer it); the
    # original name is kept in the row.
    return instance.upload_path(filename.rsplit(".", 1)[-1])


class Scan(models.Model):
    """A scanned signed paper copy (bản quét có chữ ký): PDF, JPEG or PNG by content, with its checksum.

    Abstract: a pledge version's and a minutes version's scans are concrete subclasses with a ``version``
    foreign key, their own ``upload_path`` and history. The newest scan is the current one; earlier ones
    stay listed and downloadable. ``documents.uploads.scan_store`` is the one way to save one.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    file = models.FileField(_("file"), upload_to=_scan_upload_to, max_length=255)
    kind = NFCCharField(_("kind"), max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, validators=[SHA256_VALIDATOR])
    original_name = NFCCharField(_("original file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["version", "-uploaded_at", "-id"]

    # The version scanned: a foreign key each concrete scan declares to its own version model.
    version: Any

    def __str__(self) -> str:
        return f"{self.version} scan {self.uploaded_at:%Y-%m-%d}"

    def upload_path(self, extension: str) -> str:
        raise NotImplementedError


def _job_upload_to(instance: FileJob, filename: str) -> str:
    # By month made: files made on request are kept for a while, then pruned month by month.
    made = instance.created_at or timezone.now()
    return f"jobs/{made:%Y/%m}/{filename}"


class FileJobQuerySet(models.QuerySet["FileJob"]):
    def pending(self) -> FileJobQuerySet:
        """Jobs still to finish (waiting for a worker or running)."""
        return self.filter(status__in=[FileJob.Status.QUEUED, FileJob.Status.RUNNING])

    def of_user(self, user_id: int) -> FileJobQuerySet:
        return self.filter(requested_by_id=user_id)


class FileJob(models.Model):
    """A file made off the request by a background job (tệp đang tạo): a long list's PDF, an export.

    ``kind`` is the dotted path of the function that makes the file (``documents.jobs`` calls it in the
    worker); ``subject`` is a key such as ``"council:3"`` that the portal's access rules read to decide who may see the
    job and download its file (``blocs.access.file_job_for_user``); ``params`` are the filters the user
    chose, already checked by the view that started the job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = NFCCharField(_("kind"), max_length=200)
    title = NFCCharField(_("title"), max_length=255)
    subject = NFCCharField(_("subject"), max_length=100, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=_job_upload_to, max_length=255, blank=True)
    file_name = NFCCharField(_("file name"), max_length=200, blank=True)
    content_type = NFCCharField(_("content type"), max_length=100, blank=True)
    error = NFCTextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = FileJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("file being made")
        verbose_name_plural = _("files being made")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="file_job_progress_at_most_100"),
            # A job is ready only with its file, and a failed one says why.
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(file_name="")), name="file_job_done_has_file"
            ),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="file_job_failed_says_why"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
