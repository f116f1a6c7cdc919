"""Uploaded scans and attachments: recognised by content, not by name; limited in size; checksummed.

Used by every upload of the portal (a pledge's signed scan, the minutes' scan, achievement reports), so the
rules and their Vietnamese messages are the same everywhere.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .models import Scan

if TYPE_CHECKING:
    from blocs.models import User  # the user model (typing only)

ScanT = TypeVar("ScanT", bound=Scan)

# Magic numbers of the accepted kinds: the file's first bytes, whatever its name says.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks: its kind, size and SHA-256 checksum."""

    kind: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


def sniff_kind(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def upload_check(file: UploadedFile, *, kinds: tuple[str, ...] = ("pdf", "jpeg", "png")) -> CheckedUpload:
    """Check an uploaded file and return its kind and checksum, or raise a ValidationError in Vietnamese.

    The file is read in chunks (never whole into memory) and rewound for saving.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": _mb(file.size), "limit": _mb(limit)},
            code="too_large",
        )
    if not file.size:
        raise ValidationError(_("The file is empty."), code="empty")
    file.seek(0)
    kind = sniff_kind(file.read(16))
    if kind not in kinds:
        names = ", ".join(EXTENSIONS[k].upper() for k in kinds)
        raise ValidationError(
            _("The file is not a %(kinds)s file (its content was checked, not its name).") % {"kinds": names},
            code="wrong_kind",
        )
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return CheckedUpload(kind=kind, size=size, sha256=digest.hexdigest())


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def scan_store(*, scan: ScanT, file: UploadedFile, by: User | None) -> ScanT:
    """Check ``file`` and save it as ``scan`` (an unsaved ``documents.models.Scan`` subclass with its
    version set). A refused file changes nothing; storage is not transactional, so the file is written
    before its row and removed again if the row fails — the previous scan stays the current one."""

    from django.db import transaction
    from django.utils import timezone

    try:
        checked = upload_check(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    scan.kind = checked.kind
    scan.size = checked.size
    scan.sha256 = checked.sha256
    scan.original_name = unicodedata.normalize("NFC", file.name or "")[:255]
    scan.uploaded_by = by
    scan.uploaded_at = timezone.now()
    scan._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history outside a request too
    scan.file.save(f"scan.{checked.extension}", file, save=False)
    try:
        with transaction.atomic():
            scan.save()
    except Exception:
        scan.file.delete(save=False)
        raise
    return scan
