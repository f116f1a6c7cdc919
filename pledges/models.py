"""Giao ước thi đua: a bloc's annual emulation pledge, its versions, signatories and signed scans.

A pledge belongs to one bloc and one year — the year it commits to (Bắc Kạn signed its 2021 pledge on
29/12/2020). Its text lives in versions: version 1 is drafted, signed and made final; a correction after
that is version 2 with a reason, signed anew, and so on. A final version never changes, and neither do
its signatures and scans, so everything the paper prints (title, preamble, sections, signing date and
place) belongs to the version, not to the pledge.

Invariants the database holds: one pledge per bloc and year; version numbers unique per pledge and at
most one open (drafting or signing) version per pledge; one signatory per unit per version; a signature
only on a signatory row (the row *is* the signature slot, frozen when signing opens) and always with its
date, time and method. The rest (signatories only on versions past drafting, a unit signs a version once,
only a draft's text changes) is enforced by ``pledges.services``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.fields import BoundedDateField, NFCCharField, NFCTextField
from blocs.models import Bloc, Unit, year_validators
from blocs.text import paragraphs
from documents.models import Issuable, IssuedDocument, Scan

# The printed document's type, as in "Số: 01/GU-KTĐ6" (GU = giao ước).
DOC_TYPE = "GU"


def default_title(year: int) -> str:
    """ "Giao ước thi đua năm 2021": the title of a new pledge (fixed Vietnamese wording)."""
    return f"Giao ước thi đua năm {year}"


class Pledge(models.Model):
    """Giao ước thi đua of one bloc for one year; its text and signatures are in its versions."""

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=year_validators(), help_text=_("The emulation year the pledge commits to.")
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="pledge_one_per_bloc_year"),
        ]

    def __str__(self):
        return f"{self.bloc.code} {self.year}"

    def get_absolute_url(self):
        return reverse("pledges:pledge_detail", args=[self.bloc_id, self.year])

    def current_version(self) -> PledgeVersion | None:
        """The newest version: the one being drafted or signed, or the final one in force."""
        return self.versions.order_by("-number").first()

    @property
    def issuer_subject(self) -> str:
        return f"pledge:{self.pk}"


class PledgeVersion(Issuable):
    """One version of a pledge's text, and its signing: drafting → signing → final."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        SIGNING = "signing", _("Signing")
        FINAL = "final", _("Final")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions", verbose_name=_("pledge"))
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFTING)
    reason = NFCTextField(_("reason for the correction"), blank=True)
    # The printed text. NFC; multi-line fields keep their line breaks (one paragraph per line).
    title = NFCCharField(_("title"), max_length=255)
    preamble = NFCTextField(_("preamble"), blank=True)
    signing_date = BoundedDateField(_("signing date"), null=True, blank=True)
    signing_place = NFCCharField(_("signing place"), max_length=255, blank=True)
    # The bloc signs a paper text the portal does not hold ("Nội dung giao ước kèm theo"): signing may open
    # without sections, and the PDF says the text is attached instead of inventing one: the portal records
    # only what is known.
    text_attached = models.BooleanField(
        _("text attached"),
        default=False,
        help_text=_("The bloc signs a paper text that is not entered here; the printed pledge says it is attached."),
    )
    # Optimistic concurrency of the draft editor: every save raises it; a save carrying an older value is
    # refused (someone else saved in between).
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("saved at"), default=timezone.now)
    signing_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signing_opened_at = models.DateTimeField(_("signing opened at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    closed_early = models.BooleanField(_("signing closed before every unit signed"), default=False)
    # The issued PDF with its number and checksum, issued once after finalisation (documents.Issuable:
    # document, pdf_error, pdf_claimed_at); declared again to keep the reverse accessor's name.
    document = models.OneToOneField(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledge_version",
        verbose_name=_("issued document"),
    )
    history = HistoricalRecords(excluded_fields=["pdf_claimed_at"])

    class Meta:
        verbose_name = _("pledge version")
        verbose_name_plural = _("pledge versions")
        ordering = ["pledge", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="pledge_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="pledge_version_number_positive"),
            # While a version is drafted or signed there is no second one: a correction starts from a
            # final version.
            models.UniqueConstraint(fields=["pledge"], condition=~Q(state="final"), name="pledge_one_open_version"),
            models.CheckConstraint(
                condition=Q(state__in=["drafting", "signing", "final"]), name="pledge_version_state_valid"
            ),
            # A correction says why it was made.
            models.CheckConstraint(condition=Q(number=1) | ~Q(reason=""), name="pledge_correction_has_reason"),
            models.CheckConstraint(
                condition=Q(state="drafting") | Q(signing_opened_at__isnull=False),
                name="pledge_version_signing_opened_at",
            ),
            models.CheckConstraint(
                condition=~Q(state="final") | Q(finalised_at__isnull=False), name="pledge_version_final_at"
            ),
        ]

    def __str__(self):
        return f"{self.pledge} v{self.number}"

    def get_absolute_url(self):
        return f"{self.pledge.get_absolute_url()}?v={self.number}"

    @property
    def is_drafting(self) -> bool:
        return self.state == self.State.DRAFTING

    @property
    def is_signing(self) -> bool:
        return self.state == self.State.SIGNING

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL

    @property
    def state_tone(self) -> str:
        """The colour of the state's badge (templates/includes/status_badge.html): final is done, signing
        is under way, a draft is neutral."""
        tones: dict[str, str] = {self.State.FINAL: "success", self.State.SIGNING: "warning"}
        return tones.get(self.state, "secondary")

    @property
    def subject_key(self) -> str:
        """The issued document's subject: what it is about, to find it among issued documents."""
        return f"pledge:{self.pledge_id}:v{self.number}"


class PledgeSection(models.Model):
    """A numbered part of a version's text: a heading and its commitments and targets (chỉ tiêu)."""

    version = models.ForeignKey(
        PledgeVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    heading = NFCCharField(_("heading"), max_length=255)
    body = NFCTextField(_("commitments and targets"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge section")
        verbose_name_plural = _("pledge sections")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="pledge_section_position_unique"),
        ]

    def __str__(self):
        return self.heading

    def paragraphs(self) -> list[str]:
        return paragraphs(self.body)


class PledgeSignatory(models.Model):
    """A member unit's signature slot on a version, frozen when signing opens, and its signature.

    The unit's name, its signatory's name and title are copied when signing opens (the paper prints the
    names of that day, whatever later renames), prefilled from the unit's head; the unit confirms or
    corrects them when it signs. A signature is the date on this row: there is no signature without a
    slot.
    """

    class Method(models.TextChoices):
        # Short labels: they are shown next to the date of each signature.
        PORTAL = "portal", _("in the portal")  # by the unit's own user
        PAPER = "paper", _("on paper")  # recorded by the chair or an officer from a paper ceremony

    version = models.ForeignKey(
        PledgeVersion, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("version")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pledge_signatories", verbose_name=_("unit"))
    position = models.PositiveSmallIntegerField(_("protocol position"))
    unit_name = NFCCharField(_("unit name"), max_length=255)
    signatory_name = NFCCharField(_("signatory's name"), max_length=100, blank=True)
    signatory_title = NFCCharField(_("signatory's title"), max_length=150, blank=True)
    confirmed = models.BooleanField(
        _("confirmed by the unit"),
        default=False,
        help_text=_("The unit itself checked its signatory's name and title."),
    )
    signed_on = BoundedDateField(_("signed on"), null=True, blank=True)
    signed_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    method = models.CharField(_("how it was signed"), max_length=10, choices=Method.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge signatory")
        verbose_name_plural = _("pledge signatories")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "unit"], name="pledge_signatory_one_per_unit"),
            models.UniqueConstraint(fields=["version", "position"], name="pledge_signatory_position_unique"),
            # Signed: date, time and method together; unsigned: none of them.
            models.CheckConstraint(
                condition=(
                    Q(signed_on__isnull=True, signed_at__isnull=True, method="")
                    | (Q(signed_on__isnull=False, signed_at__isnull=False) & Q(method__in=["portal", "paper"]))
                ),
                name="pledge_signature_complete",
            ),
        ]

    def __str__(self):
        return f"{self.version}: {self.unit_name}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


class PledgeScan(Scan):
    """A scanned signed copy of a pledge version (see ``documents.models.Scan``)."""

    version = models.ForeignKey(
        PledgeVersion, on_delete=models.CASCADE, related_name="scans", verbose_name=_("version")
    )
    history = HistoricalRecords()

    class Meta(Scan.Meta):
        verbose_name = _("pledge scan")
        verbose_name_plural = _("pledge scans")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["pdf", "jpeg", "png"]), name="pledge_scan_kind_valid"),
        ]

    def upload_path(self, extension: str) -> str:
        version = self.version
        return f"pledges/{version.pledge.year}/pledge-{version.pledge_id}-v{version.number}-scan.{extension}"


def document_date(version: PledgeVersion, signed_dates: list[date] | None = None) -> date | None:
    """The date a version's document carries: its signing date, else its last signature's date, else the
    day it became final; None for a draft without a signing date (the date line is left blank)."""
    if version.signing_date:
        return version.signing_date
    if signed_dates:
        return max(signed_dates)
    if version.finalised_at:
        return timezone.localtime(version.finalised_at).date()
    return None


# Chấm điểm, xếp hạng: the scoring tables live in the pledges app ("the scoring table comes with the
# pledge"), in their own package; imported here so Django registers them as this app's models.
from .scoring.models import (  # noqa: E402
    Criterion,
    Ranking,
    RankingEntry,
    ReviewerAssignment,
    Score,
    ScoreEvidence,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
)

__all__ = [
    "DOC_TYPE",
    "Criterion",
    "Pledge",
    "PledgeScan",
    "PledgeSection",
    "PledgeSignatory",
    "PledgeVersion",
    "Ranking",
    "RankingEntry",
    "ReviewerAssignment",
    "Score",
    "ScoreEvidence",
    "ScoreSheet",
    "ScoringGroup",
    "ScoringTable",
    "default_title",
    "document_date",
]
