"""Awards: the council's catalogue and rules, registrations, proposals, submissions and decisions.

The words (docs/glossary.md has them all):

* ``AwardType`` — hình thức khen thưởng / danh hiệu thi đua, per council (a copy of the standard catalogue).
* ``AwardRule`` — one condition an award type sets (vote threshold, quota, eligibility, a rank or a final
  score in the bloc-year's final ranking), for the whole council or one bloc; data an officer configures,
  never a constant in code.
* ``Registration`` — đăng ký thi đua: a member unit's target title for a bloc-year.
* ``Person`` — an individual recipient (name, position, unit).
* ``Proposal`` — đề nghị khen thưởng: one recipient for one award type in one bloc-year (year of the
  achievement), with its tally, achievement report and status. Awards decided outside the portal are
  proposals too (``source = external``), so award history and eligibility read one table.
* ``ProposalEvent`` — every status change: who, when, from, to, why.
* ``Submission`` — tờ trình: the proposals a bloc-year sends at one time under one cover letter.
* ``Decision`` — quyết định khen thưởng: number, date, signer and the proposals it decides;
  ``DecisionCorrection`` records every correction with its reason.

Invariants the database can hold are constraints (tally order, one proposal per recipient, type and
bloc-year, the recipient columns, a decided proposal has a decision or a conference date). The ones that
span tables (the recipient is a member that year, members present ≤ members that year, the award type's
recipient kind) are in ``clean()`` and ``awards.services``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.fields import BoundedDateField, NFCCharField, NFCTextField
from blocs.models import Bloc, Council, Unit, year_validators
from blocs.text import fold, nfc, search_words, sort_key
from documents.models import Issuable

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def fraction_text(numerator: int, denominator: int) -> str:
    """A threshold's fraction as officers write it: 70/100 → "70%", 2/3 → "2/3", 1/2 → "1/2"."""
    if denominator == 100:
        return f"{numerator}%"
    return f"{numerator}/{denominator}"


def percent_text(value: Decimal | float) -> str:
    """20.00 → "20%", 33.33 → "33.33%"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def score_text(value: Decimal) -> str:
    """90.00 → "90", 92.50 → "92,5", -3.25 → "−3,25": a final score as the Vietnamese pages write it."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def rank_range_text(at_most: int) -> str:
    """1 → "1", 3 → "1–3": the ranks a rule accepts."""
    return "1" if at_most == 1 else f"1–{at_most}"


class AwardTypeQuerySet(models.QuerySet):
    def of_council(self, council):
        return self.filter(council=council)

    def active(self):
        return self.filter(active=True)


class AwardType(models.Model):
    """Hình thức khen thưởng of one council: its recipients, level, who issues it, its place in lists."""

    class RecipientKind(models.TextChoices):
        COLLECTIVE = "collective", _("Collective")
        INDIVIDUAL = "individual", _("Individual")
        ANY = "any", _("Collective or individual")

    class Level(models.TextChoices):
        STATE = "state", pgettext_lazy("award level", "State")
        PROVINCE = "province", _("Province or ministry")
        BLOC = "bloc", _("Bloc")
        UNIT = "unit", _("Unit")

    class Authority(models.TextChoices):
        COUNCIL_CHAIRMAN = "council_chairman", _("Chairman of the People's Committee")
        GOVERNMENT = "government", _("Government")
        PRIME_MINISTER = "prime_minister", _("Prime Minister")
        PRESIDENT = "president", _("President")
        BLOC = "bloc", _("The bloc itself")
        UNIT_HEAD = "unit_head", _("Head of the unit")
        OTHER = "other", _("Other authority")

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="award_types", verbose_name=_("council")
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("A stable key, unique within the council; used by Excel imports."),
    )
    name = NFCCharField(_("name"), max_length=200)
    recipient_kind = models.CharField(_("recipients"), max_length=20, choices=RecipientKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    authority = models.CharField(_("issuing authority"), max_length=20, choices=Authority.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=100, help_text=_("Smaller first in lists."))
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive types take no new proposals."))
    history = HistoricalRecords()

    objects = AwardTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["council", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="award_type_code_unique_per_council"),
            models.UniqueConstraint(fields=["council", "name"], name="award_type_name_unique_per_council"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = fold(self.name).replace(" ", "-")[:60]
        super().save(*args, **kwargs)

    @property
    def is_bloc_issued(self) -> bool:
        """Awards the bloc gives itself: decided at its conference, no review by the Board."""
        return self.authority == self.Authority.BLOC

    @property
    def allows_collective(self) -> bool:
        return self.recipient_kind in (self.RecipientKind.COLLECTIVE, self.RecipientKind.ANY)

    @property
    def allows_individual(self) -> bool:
        return self.recipient_kind in (self.RecipientKind.INDIVIDUAL, self.RecipientKind.ANY)


class AwardRule(models.Model):
    """One condition of an award type: a vote threshold, a quota, an eligibility requirement, or a rank or a
    final score in the bloc-year's final ranking (xếp hạng đã chốt; docs/domain.md, "Award rules").

    A rule without a bloc holds for every bloc of the council. Rules of one bloc override the council-wide
    rules *of the same kind* for that type in that bloc (e.g. a bloc with 4 members gets its own quota and
    keeps the council's threshold). All rules that apply must hold.
    """

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Vote threshold")
        QUOTA = "quota", _("Quota per bloc-year")
        ELIGIBILITY = "eligibility", _("Eligibility")
        RANK = "rank", _("Rank in the final ranking")
        SCORE = "score", _("Score in the final ranking")

    class Base(models.TextChoices):
        BALLOTS_CAST = "ballots_cast", _("ballots cast")
        MEMBERS_PRESENT = "members_present", _("members present")
        ALL_MEMBERS = "all_members", _("all members")

    class Severity(models.TextChoices):
        ERROR = "error", _("Blocks submission")
        WARNING = "warning", _("Warning: needs a written reason")

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("award type")
    )
    bloc = models.ForeignKey(
        Bloc,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_rules",
        verbose_name=_("only for bloc"),
        help_text=_("Empty: every bloc of the council. A bloc's rules replace the council's rules of the same kind."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("when it fails"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    # Vote threshold: votes for / base, compared with numerator / denominator (a fraction, so that "2/3"
    # is exact; "70%" is 70/100).
    threshold_numerator = models.PositiveSmallIntegerField(_("threshold numerator"), null=True, blank=True)
    threshold_denominator = models.PositiveSmallIntegerField(_("threshold denominator"), null=True, blank=True)
    threshold_strict = models.BooleanField(
        _("more than (not “at least”)"), default=False, help_text=_("E.g. “more than half” (quá bán).")
    )
    base = models.CharField(_("of"), max_length=20, choices=Base.choices, blank=True)
    acclamation_counts = models.BooleanField(
        _("acclamation satisfies it"), default=True, help_text=_("A decision by acclamation (thống nhất) passes.")
    )
    # Quota: a number, or a share of the bloc's members that year rounded down.
    quota_number = models.PositiveSmallIntegerField(_("at most (number)"), null=True, blank=True)
    quota_percent = models.DecimalField(
        # xgettext:no-python-format
        _("at most (% of members, rounded down)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Eligibility: the same recipient must have this award in the same year (decided, or proposed in the
    # same submission; checked again at decision time).
    requires_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="required_by",
        verbose_name=_("requires in the same year"),
    )
    # Rank: the recipient unit's rank in its bloc-year's final ranking is at most this (1: first only).
    rank_at_most = models.PositiveSmallIntegerField(
        _("ranked at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("1: only the units ranked first; 3: ranks 1 to 3 of the bloc-year's final ranking."),
    )
    # Score: the recipient unit's final score in that ranking is at least this.
    minimum_score = models.DecimalField(
        _("final score at least"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The unit's final score in the bloc-year's final ranking, e.g. 90 or 92,5."),
    )
    note = NFCCharField(
        _("legal basis or note"), max_length=255, blank=True, help_text=_("E.g. the article of the decree.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["award_type__order", "award_type_id", "kind", "bloc_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="threshold")
                | (
                    Q(threshold_numerator__isnull=False, threshold_denominator__gt=0)
                    & Q(threshold_numerator__lte=F("threshold_denominator"))
                    & ~Q(base="")
                ),
                name="award_rule_threshold_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="quota")
                | Q(quota_number__isnull=False, quota_percent__isnull=True)
                | Q(quota_number__isnull=True, quota_percent__isnull=False),
                name="award_rule_quota_number_or_share",
            ),
            models.CheckConstraint(
                condition=~Q(kind="eligibility") | Q(requires_type__isnull=False),
                name="award_rule_eligibility_names_a_type",
            ),
            models.CheckConstraint(condition=~Q(requires_type=F("award_type")), name="award_rule_not_requiring_itself"),
            models.CheckConstraint(
                condition=~Q(kind="rank") | Q(rank_at_most__isnull=False, rank_at_most__gte=1),
                name="award_rule_rank_names_a_rank",
            ),
            models.CheckConstraint(
                condition=~Q(kind="score") | Q(minimum_score__isnull=False), name="award_rule_score_names_a_score"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["threshold", "quota", "eligibility", "rank", "score"]),
                name="award_rule_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.award_type}: {self.text()}"

    def base_label(self) -> str:
        """What a threshold counts against, in words ("ballots cast"); empty for the other kinds."""
        return str(AwardRule.Base(self.base).label) if self.base else ""

    def text(self) -> str:
        """The rule in words, for the catalogue page and the findings: "at least 2/3 of ballots cast;
        acclamation counts", "at most 3 per bloc-year", "requires … for the same recipient in the same year"."""
        if self.kind == AwardRule.Kind.THRESHOLD:
            return self._threshold_text()
        if self.kind == AwardRule.Kind.QUOTA:
            if self.quota_number is not None:
                return gettext("at most %(number)s per bloc-year") % {"number": self.quota_number}
            if self.quota_percent is not None:
                return gettext("at most %(percent)s of the bloc's members per year, rounded down") % {
                    "percent": percent_text(self.quota_percent)
                }
            return "—"
        if self.kind == AwardRule.Kind.ELIGIBILITY:
            if self.requires_type_id is None:
                return "—"
            return gettext("requires %(type)s for the same recipient in the same year") % {
                "type": self.requires_type.name
            }
        if self.kind == AwardRule.Kind.RANK:
            if self.rank_at_most is None:
                return "—"
            return gettext("rank %(ranks)s in the bloc-year's final ranking") % {
                "ranks": rank_range_text(self.rank_at_most)
            }
        if self.kind == AwardRule.Kind.SCORE:
            if self.minimum_score is None:
                return "—"
            return gettext("a final score of at least %(score)s in the bloc-year's final ranking") % {
                "score": score_text(self.minimum_score)
            }
        return ""

    def _threshold_text(self) -> str:
        if self.threshold_numerator is None or not self.threshold_denominator:
            return "—"
        values = {
            "fraction": fraction_text(self.threshold_numerator, self.threshold_denominator),
            "base": self.base_label(),
        }
        if self.threshold_strict:
            text = gettext("more than %(fraction)s of %(base)s") % values
        else:
            text = gettext("at least %(fraction)s of %(base)s") % values
        if self.acclamation_counts:
            return text + "; " + gettext("acclamation counts")
        return text + "; " + gettext("acclamation does not count")

    def quota_of(self, members: int) -> int:
        """The number of proposals this quota allows a bloc-year with ``members`` members (a share is
        rounded down)."""
        if self.quota_number is not None:
            return self.quota_number
        return math.floor(Decimal(members) * Decimal(self.quota_percent) / 100)

    def threshold_met(self, *, votes_for: int, base: int) -> bool:
        """votes_for / base ≥ (or, strict, >) numerator / denominator, in whole numbers (no rounding)."""
        left = votes_for * self.threshold_denominator
        right = self.threshold_numerator * base
        return left > right if self.threshold_strict else left >= right

    def clean(self):
        errors = {}
        if self.kind == self.Kind.THRESHOLD:
            if self.threshold_numerator is None or not self.threshold_denominator:
                errors["threshold_numerator"] = _("Give the threshold, e.g. 2/3 or 70%.")
            elif self.threshold_numerator > self.threshold_denominator:
                errors["threshold_numerator"] = _("The threshold cannot be more than 100%.")
            if not self.base:
                errors["base"] = _("Say what the votes are counted against.")
        elif self.kind == self.Kind.QUOTA:
            if (self.quota_number is None) == (self.quota_percent is None):
                errors["quota_number"] = _("Give either a number or a share of the members, not both.")
        elif self.kind == self.Kind.ELIGIBILITY:
            if not self.requires_type_id:
                errors["requires_type"] = _("Choose the award the recipient must already have.")
            elif self.requires_type_id == self.award_type_id:
                errors["requires_type"] = _("An award cannot require itself.")
        elif self.kind == self.Kind.RANK:
            if self.rank_at_most is None or self.rank_at_most < 1:
                errors["rank_at_most"] = _("Give the lowest rank that qualifies, e.g. 1 or 3.")
        elif self.kind == self.Kind.SCORE:
            if self.minimum_score is None:
                errors["minimum_score"] = _("Give the lowest final score that qualifies, e.g. 90.")
        if self.award_type_id:
            council_id = self.award_type.council_id
            if self.bloc_id and self.bloc.council_id != council_id:
                errors["bloc"] = _("The bloc belongs to another council.")
            if self.requires_type_id and self.requires_type.council_id != council_id:
                errors["requires_type"] = _("The award type belongs to another council.")
        if errors:
            raise ValidationError(errors)


class Registration(models.Model):
    """Đăng ký thi đua: a member unit aims for an award type in a bloc-year."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="award_registrations", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_registrations", verbose_name=_("unit"))
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("award type")
    )
    note = NFCCharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["bloc", "-year", "unit__sort_name", "award_type__order"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "unit", "award_type"], name="award_registration_once"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.award_type} ({self.year})"


class PersonQuerySet(models.QuerySet):
    def search(self, query: str | None):
        qs = self
        for word in search_words(query):
            qs = qs.filter(search_text__contains=word)
        return qs


class Person(models.Model):
    """An individual recipient of awards: name, position and unit."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="award_people", verbose_name=_("council")
    )
    name = NFCCharField(_("full name"), max_length=150)
    position = NFCCharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_people", verbose_name=_("unit"))
    search_text = models.TextField(editable=False, default="")
    sort_name = models.TextField(editable=False, default="")
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_name", "id"]
        indexes = [models.Index(fields=["unit", "search_text"])]

    def __str__(self):
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.unit_id and not self.council_id:
            self.council_id = self.unit.council_id
        self.search_text = fold(self.name)
        # Vietnamese names sort by the given name (the last word), then the whole name; the field stores
        # the name normalised only at the write, so the key splits the normal form here.
        name = nfc(self.name)
        self.sort_name = sort_key(f"{name.rsplit(' ', 1)[-1]} {name}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("awards:person_detail", args=[self.pk])

    def clean(self):
        if self.unit_id and self.council_id and self.unit.council_id != self.council_id:
            raise ValidationError({"unit": _("The unit belongs to another council.")})


class Submission(Issuable):
    """Tờ trình: a batch of a bloc-year's proposals sent together; sequence 2, 3 … are supplementary.

    Its numbered cover letter is its ``document`` (``documents.Issuable``), issued once after the commit.
    """

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="award_submissions", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(_("year of achievement"), validators=year_validators())
    sequence = models.PositiveSmallIntegerField(_("sequence"), validators=[MinValueValidator(1)])
    submitted_on = BoundedDateField(_("submitted on"), default=timezone.localdate)
    document = models.OneToOneField(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover letter"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["pdf_claimed_at"])

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "sequence"], name="award_submission_sequence_unique"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="award_submission_sequence_positive"),
        ]

    def __str__(self):
        return f"{self.bloc.code} {self.year} #{self.sequence}"

    def get_absolute_url(self):
        return reverse("awards:submission_detail", args=[self.pk])

    @property
    def is_supplementary(self) -> bool:
        return self.sequence > 1

    @property
    def cover_letter(self):
        """The issued cover letter (tờ trình, "Số: 01/TTr-KTĐ6"), or None before it is issued."""
        return self.document

    @property
    def cover_letter_id(self) -> int | None:
        return self.document_id


class Decision(models.Model):
    """Quyết định khen thưởng: number, date and signer; it decides many proposals at once."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="award_decisions", verbose_name=_("council")
    )
    # An award decided outside the portal may be known only by its year and authority: its number or its
    # date is then unknown, stored empty (never a made-up "…/QĐ") and shown as unknown (unknown is a valid answer).
    number = NFCCharField(
        _("number"), max_length=60, blank=True, help_text=_("As printed, e.g. “123/QĐ-UBND”. Empty: unknown.")
    )
    date = BoundedDateField(_("date"), null=True, blank=True)
    signer = NFCCharField(_("signed by"), max_length=200, blank=True, help_text=_("Name and title."))
    external = models.BooleanField(_("decided outside the portal"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-id"]
        constraints = [
            # Decisions of unknown number are never the same decision: nothing identifies them.
            models.UniqueConstraint(
                fields=["council", "number", "date"], condition=~Q(number=""), name="award_decision_unique"
            ),
            models.CheckConstraint(
                condition=Q(external=True) | (~Q(number="") & Q(date__isnull=False)),
                name="award_decision_portal_number_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.number_text} ({self.date_text})"

    def get_absolute_url(self):
        return reverse("awards:decision_detail", args=[self.pk])

    @property
    def number_text(self) -> str:
        """The number as printed, or "chưa rõ số quyết định" — never a number nobody entered."""
        return self.number or str(_("decision number unknown"))

    @property
    def date_text(self) -> str:
        return f"{self.date:%d/%m/%Y}" if self.date else str(_("date unknown"))

    @property
    def reference_text(self) -> str:
        """ "Quyết định số 12/QĐ-UBND ngày 01/03/2022", saying which of the two is unknown."""
        if self.number and self.date:
            return _("Decision %(number)s of %(date)s") % {"number": self.number, "date": self.date_text}
        if self.date:
            return _("Decision of %(date)s (number unknown)") % {"date": self.date_text}
        if self.number:
            return _("Decision %(number)s (date unknown)") % {"number": self.number}
        return str(_("Decision (number and date unknown)"))


class DecisionCorrection(models.Model):
    """A correction of a decision's number, date or signer: what changed and why. Never a silent edit."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="corrections")
    changes = models.JSONField(_("changes"), help_text="[[field, old, new], …]")
    reason = NFCTextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("corrected at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.decision_id}: {self.reason[:50]}"


# The three kinds of recipient, as conditions of the uniqueness constraints below.
_SINGLE_UNIT = Q(person__isnull=True, collective_name="")
_NAMED_COLLECTIVE = Q(person__isnull=True) & ~Q(collective_name="")
_INDIVIDUAL = Q(person__isnull=False)


class ProposalQuerySet(models.QuerySet):
    def of_council(self, council: Council) -> ProposalQuerySet:
        return self.filter(council=council)

    def of_bloc_year(self, bloc: Bloc, year: int) -> ProposalQuerySet:
        return self.filter(bloc=bloc, year=year)

    def decided(self) -> ProposalQuerySet:
        return self.filter(status=Proposal.Status.DECIDED)

    def counting(self) -> ProposalQuerySet:
        """Proposals that take a place: everything but rejected ones."""
        return self.exclude(status=Proposal.Status.REJECTED)

    def with_related(self) -> ProposalQuerySet:
        return self.select_related("award_type", "bloc", "unit", "person", "decision", "submission")


class Proposal(models.Model):
    """Đề nghị khen thưởng: a recipient for an award type in a bloc-year, with its tally and status.

    The recipient is a member unit (``unit``), a named collective inside a unit (``unit`` and
    ``collective_name``, e.g. "Phòng Tổng hợp"), or a person (``person``; ``unit`` then keeps the
    person's unit at the time). States (docs/domain.md): draft → submitted → returned → submitted … →
    approved → decided; rejected from submitted or approved; bloc-issued awards go draft → decided at the
    conference. Awards decided outside the portal are entered as decided (``source = external``).
    """

    # Not columns: set by awards.selectors on the rows of an award history (its state's label, and the
    # proposal's page for those who read its bloc-year, else "").
    history_state: StrOrPromise
    history_link: str

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DECIDED = "decided", _("Decided")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Proposed in the portal")
        EXTERNAL = "external", _("Entered: decided outside the portal")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="award_proposals", verbose_name=_("council")
    )
    bloc = models.ForeignKey(
        Bloc, on_delete=models.PROTECT, null=True, blank=True, related_name="award_proposals", verbose_name=_("bloc")
    )
    year = models.PositiveSmallIntegerField(_("year of achievement"), validators=year_validators())
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("award type")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="award_proposals", verbose_name=_("unit")
    )
    collective_name = NFCCharField(
        _("named collective"),
        max_length=255,
        blank=True,
        help_text=_("A collective inside the unit, e.g. “Phòng Tổng hợp”. Empty: the unit itself."),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals", verbose_name=_("person")
    )
    # The collective's name folded, for the search (awards.selectors.proposals_matching): the unit, the
    # person and the bloc fold their own names, so only the collective, which lives here, is kept here.
    search_text = models.TextField(editable=False, default="")
    summary = NFCTextField(_("achievement summary"), blank=True)
    award_reason = NFCTextField(
        _("reason for the award"),
        blank=True,
        help_text=_("E.g. a ranking: “xếp hạng Nhất trong Khối năm 2020”. Shown in the award history."),
    )
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    ballots_cast = models.PositiveSmallIntegerField(_("ballots cast"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    acclamation = models.BooleanField(_("by acclamation (thống nhất)"), default=False)
    achievement_report = models.FileField(
        _("achievement report"), upload_to="awards/reports/%Y/", max_length=255, blank=True
    )
    achievement_report_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Written reasons for warnings, keyed by the finding's key (awards.rules.RuleFinding.key).
    warning_reasons = models.JSONField(_("reasons for warnings"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_reason = NFCTextField(_("reason"), blank=True, help_text=_("Why it was returned or rejected."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("submission"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("decision"),
    )
    conference_date = BoundedDateField(
        _("conference date"), null=True, blank=True, help_text=_("For awards the bloc decides at its conference.")
    )
    # Filled by the meetings app when a conference decided it (e.g. "meeting:12"); awards never reads it.
    meeting_ref = models.CharField(_("meeting"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["award_type__order", "award_type_id", "id"]
        indexes = [
            models.Index(fields=["council", "year", "status"]),
            models.Index(fields=["bloc", "year"]),
            models.Index(fields=["unit", "status"]),
        ]
        constraints = [
            # Votes for ≤ ballots cast ≤ members present.
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(ballots_cast__isnull=True)
                | Q(votes_for__lte=F("ballots_cast")),
                name="proposal_votes_within_ballots",
            ),
            models.CheckConstraint(
                condition=Q(ballots_cast__isnull=True)
                | Q(members_present__isnull=True)
                | Q(ballots_cast__lte=F("members_present")),
                name="proposal_ballots_within_present",
            ),
            # Acclamation is a tally of its own: no ballots to count.
            models.CheckConstraint(
                condition=Q(acclamation=False) | Q(ballots_cast__isnull=True, votes_for__isnull=True),
                name="proposal_acclamation_has_no_ballots",
            ),
            # A collective recipient is a unit (or a collective named inside one); an individual is a person.
            models.CheckConstraint(
                condition=Q(person__isnull=True, unit__isnull=False) | Q(person__isnull=False, collective_name=""),
                name="proposal_recipient_unit_or_person",
            ),
            models.CheckConstraint(
                condition=Q(source="external") | Q(bloc__isnull=False), name="proposal_portal_has_bloc"
            ),
            # Decided means by a decision or at a conference; nothing else carries a decision.
            models.CheckConstraint(
                condition=~Q(status="decided") | Q(decision__isnull=False) | Q(conference_date__isnull=False),
                name="proposal_decided_has_decision_or_conference",
            ),
            models.CheckConstraint(
                condition=Q(status="decided") | Q(decision__isnull=True), name="proposal_decision_only_when_decided"
            ),
            # A recipient is proposed at most once per award type per bloc-year …
            models.UniqueConstraint(
                fields=["bloc", "year", "award_type", "unit"],
                condition=_SINGLE_UNIT,
                name="proposal_unit_once_per_bloc_year",
            ),
            models.UniqueConstraint(
                fields=["bloc", "year", "award_type", "unit", "collective_name"],
                condition=_NAMED_COLLECTIVE,
                name="proposal_collective_once_per_bloc_year",
            ),
            models.UniqueConstraint(
                fields=["bloc", "year", "award_type", "person"],
                condition=_INDIVIDUAL,
                name="proposal_person_once_per_bloc_year",
            ),
            # … and awards entered without a bloc at most once per type and year (NULL blocs never clash
            # in the constraints above).
            models.UniqueConstraint(
                fields=["year", "award_type", "unit"],
                condition=_SINGLE_UNIT & Q(bloc__isnull=True),
                name="proposal_unit_once_without_bloc",
            ),
            models.UniqueConstraint(
                fields=["year", "award_type", "unit", "collective_name"],
                condition=_NAMED_COLLECTIVE & Q(bloc__isnull=True),
                name="proposal_collective_once_without_bloc",
            ),
            models.UniqueConstraint(
                fields=["year", "award_type", "person"],
                condition=_INDIVIDUAL & Q(bloc__isnull=True),
                name="proposal_person_once_without_bloc",
            ),
        ]

    def __str__(self):
        return f"{self.award_type} — {self.recipient_name} ({self.year})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.person_id and not self.unit_id:
            self.unit_id = self.person.unit_id  # the person's unit at the time of the award
        if self.award_type_id and not self.council_id:
            self.council_id = self.award_type.council_id
        self.keys_compute()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "collective_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("awards:proposal_detail", args=[self.pk])

    def keys_compute(self) -> None:
        """The stored search key from the collective's name; a bulk write, which skips ``save()``, calls it
        itself."""
        self.search_text = fold(self.collective_name)

    # Recipient --------------------------------------------------------------------------------------

    @property
    def is_individual(self) -> bool:
        return self.person_id is not None

    @property
    def recipient_name(self) -> str:
        if self.person_id:
            return self.person.name
        if self.collective_name:
            return f"{self.collective_name}, {self.unit.name}"
        return self.unit.name if self.unit_id else ""

    @property
    def recipient_detail(self) -> str:
        """The person's position and unit, shown under an individual's name."""
        if not self.person_id:
            return ""
        parts = [self.person.position, self.unit.name if self.unit_id else self.person.unit.name]
        return ", ".join(part for part in parts if part)

    def recipient_key(self) -> tuple:
        """The same recipient, whatever the bloc: a unit, a named collective of a unit, or a person."""
        if self.person_id:
            return ("person", self.person_id)
        if self.collective_name:
            return ("collective", self.unit_id, fold(self.collective_name))
        return ("unit", self.unit_id)

    # Tally ------------------------------------------------------------------------------------------

    @property
    def has_tally(self) -> bool:
        return self.acclamation or (self.votes_for is not None and self.ballots_cast is not None)

    @property
    def tally_text(self) -> str:
        if self.acclamation:
            return str(_("by acclamation"))
        if self.votes_for is None:
            return "—"
        text = _("%(for)s of %(cast)s ballots") % {"for": self.votes_for, "cast": self.ballots_cast}
        if self.members_present is not None:
            text += " " + str(_("(%(present)s present)") % {"present": self.members_present})
        return text

    # State ------------------------------------------------------------------------------------------

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_bloc_issued(self) -> bool:
        return self.award_type.is_bloc_issued

    @property
    def decided_on(self):
        if self.decision_id:
            return self.decision.date
        return self.conference_date

    def clean(self):
        errors: dict[str, list] = {}
        if self.award_type_id and self.council_id and self.award_type.council_id != self.council_id:
            errors.setdefault("award_type", []).append(_("The award type belongs to another council."))
        if self.bloc_id and self.council_id and self.bloc.council_id != self.council_id:
            errors.setdefault("bloc", []).append(_("The bloc belongs to another council."))
        if self.person_id is None and self.unit_id is None:
            errors.setdefault("unit", []).append(_("Choose the recipient: a unit or a person."))
        if self.person_id and self.collective_name:
            errors.setdefault("collective_name", []).append(_("An individual award names a person, not a collective."))
        if self.award_type_id:
            if self.person_id and not self.award_type.allows_individual:
                errors.setdefault("person", []).append(
                    _("%(type)s is awarded to collectives, not to a person.") % {"type": self.award_type.name}
                )
            if self.person_id is None and self.unit_id and not self.award_type.allows_collective:
                errors.setdefault("person", []).append(
                    _("%(type)s is awarded to individuals: name the person.") % {"type": self.award_type.name}
                )
        if self.acclamation and (self.ballots_cast is not None or self.votes_for is not None):
            errors.setdefault("acclamation", []).append(
                _("By acclamation there are no ballots: leave ballots cast and votes for empty.")
            )
        if self.votes_for is not None and self.ballots_cast is None:
            errors.setdefault("ballots_cast", []).append(_("Give the ballots cast with the votes for."))
        if self.ballots_cast is not None and self.votes_for is None:
            errors.setdefault("votes_for", []).append(_("Give the votes for with the ballots cast."))
        if self.votes_for is not None and self.ballots_cast is not None and self.votes_for > self.ballots_cast:
            errors.setdefault("votes_for", []).append(
                _("Votes for (%(for)s) cannot exceed ballots cast (%(cast)s).")
                % {"for": self.votes_for, "cast": self.ballots_cast}
            )
        if (
            self.ballots_cast is not None
            and self.members_present is not None
            and self.ballots_cast > self.members_present
        ):
            errors.setdefault("ballots_cast", []).append(
                _("Ballots cast (%(cast)s) cannot exceed members present (%(present)s).")
                % {"cast": self.ballots_cast, "present": self.members_present}
            )
        if self.bloc_id and self.year and self.members_present is not None:
            members = self.bloc.memberships.covering(self.year).count()
            if self.members_present > members:
                errors.setdefault("members_present", []).append(
                    _("Members present (%(present)s) cannot exceed the bloc's %(members)s members in %(year)s.")
                    % {"present": self.members_present, "members": members, "year": self.year}
                )
        if self.bloc_id and self.year:
            member_unit = self.person.unit_id if self.person_id else self.unit_id
            if member_unit and not self.bloc.memberships.covering(self.year).filter(unit_id=member_unit).exists():
                field = "person" if self.person_id else "unit"
                errors.setdefault(field, []).append(
                    _("%(unit)s is not a member of the bloc in %(year)s.")
                    % {"unit": (self.person.unit if self.person_id else self.unit).name, "year": self.year}
                )
        if errors:
            raise ValidationError(errors)


class ProposalEvent(models.Model):
    """One status change of a proposal: who moved it, when, from which state to which, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=12, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Proposal.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = NFCTextField(_("reason"), blank=True)
    submission = models.ForeignKey(Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["proposal", "at"])]

    def __str__(self):
        return f"{self.proposal_id}: {self.from_status or '∅'} → {self.to_status}"
