"""The base of the portal: councils, units, blocs, memberships, seats and users.

Every other app builds on these. Invariants that the database can hold are constraints; the ones that
span tables (a seat holder must be a member that year, memberships of a unit in a bloc must not overlap)
live in ``clean()`` and in ``blocs.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.content import Header
from documents.models import Issuable

from .fields import FIRST_YEAR, LAST_YEAR, BoundedDateField, NFCCharField, NFCTextField, UsernameValidator
from .text import code_key, fold, nfc, paragraphs, search_words, sort_key


def year_validators():
    return [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class Council(models.Model):
    """Hội đồng Thi đua – Khen thưởng: the council that organises blocs (a province's or the central one)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CENTRAL = "central", _("Central")

    name = NFCCharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.PROVINCE)
    place_name = NFCCharField(
        _("place name"), max_length=100, help_text=_("Used in the date line of documents, e.g. “An Giang”.")
    )
    parent_body = NFCCharField(
        _("parent body"),
        max_length=200,
        blank=True,
        help_text=_("The line above the issuing body in document headers, e.g. “UBND TỈNH AN GIANG”."),
    )
    issuing_body = NFCCharField(
        _("issuing body"),
        max_length=200,
        blank=True,
        help_text=_("The issuing body of council-wide documents, e.g. “HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG”."),
    )
    bloc_parent_lines = NFCTextField(
        _("council lines above each bloc"),
        blank=True,
        help_text=_(
            "Optional: the council's name as printed above each bloc's name in the blocs' documents, one line "
            "per printed line (e.g. “HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG” and “TỈNH AN GIANG”). Empty: the "
            "council's name, broken between words where it fits."
        ),
    )
    current_year = models.PositiveSmallIntegerField(
        _("current emulation year"), validators=year_validators(), help_text=_("The home page opens on it.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UniqueCodeMixin:
    """A council's units (or blocs) have codes unique whatever their letter case: the ``code_key``
    constraint. ``validate_unique()`` checks it too, so a form shows the message next to the code
    (full_clean cannot check the constraint itself: code_key is not a field the form sets)."""

    code_taken_message: str

    def validate_unique(self, exclude=None):
        errors: dict = {}
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.council_id and self.code and "code" not in (exclude or ()):
            others = type(self)._default_manager.filter(council_id=self.council_id, code_key=code_key(self.code))
            if others.exclude(pk=self.pk).exists():
                errors.setdefault("code", []).append(ValidationError(self.code_taken_message, code="unique"))
        if errors:
            raise ValidationError(errors)


class SearchableQuerySet(models.QuerySet):
    def search(self, query: str | None):
        """Word-by-word, case- and diacritic-insensitive match on the folded search column."""
        qs = self
        for word in search_words(query):
            qs = qs.filter(search_text__contains=word)
        return qs


class UnitQuerySet(SearchableQuerySet):
    def of_council(self, council):
        return self.filter(council=council)

    def active(self):
        return self.filter(active=True)


class Unit(UniqueCodeMixin, models.Model):
    """Đơn vị: an agency, organisation, province or commune that can be a member of blocs."""

    code_taken_message = _("Another unit of this council already has this code.")

    class Kind(models.TextChoices):
        AGENCY = "agency", _("State agency")
        PARTY = "party", _("Party agency")
        SOCIO_POLITICAL = "socio_political", _("Socio-political organisation")
        ASSOCIATION = "association", _("Association")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        PROVINCE = "province", _("Province or city")
        COMMUNE = "commune", _("Commune or ward")
        OTHER = "other", _("Other")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="units", verbose_name=_("council"))
    code = NFCCharField(
        _("code"),
        max_length=30,
        help_text=_("Unique within the council; identifies the unit in Excel imports."),
    )
    # The code with its letter case folded (Đ → đ too, which SQLite's lower() does not do): the key that
    # makes "LHPN" and "lhpn" the same code on every database.
    code_key = models.CharField(max_length=30, editable=False, default="")
    name = NFCCharField(_("full name"), max_length=255)
    short_name = NFCCharField(_("short name"), max_length=100, blank=True)
    abbreviations = NFCCharField(
        _("abbreviations"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, e.g. “LHPN, Hội Phụ nữ”."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    head_name = NFCCharField(_("head's name"), max_length=100, blank=True)
    head_title = NFCCharField(_("head's title"), max_length=150, blank=True)
    contact = NFCCharField(_("contact"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    merged_year = models.PositiveSmallIntegerField(_("merger year"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    sort_name = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["code_key"])  # derived from the code, which is kept

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="unit_code_unique_per_council"),
            models.UniqueConstraint(fields=["council", "code_key"], name="unit_code_unique_ignoring_case"),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(merged_year__isnull=False),
                name="unit_merger_has_year",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="unit_not_own_successor"),
        ]
        indexes = [models.Index(fields=["council", "sort_name"])]

    def __str__(self):
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.keys_compute()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blocs:unit_detail", args=[self.pk])

    def keys_compute(self) -> None:
        """The stored keys (code, search, sort) from the unit's text; a bulk write, which skips ``save()``,
        calls it itself. The text fields normalise themselves (blocs.fields)."""
        self.code_key = code_key(self.code)
        self.search_text = fold(" ".join([self.name, self.short_name, self.abbreviations, self.code]))
        self.sort_name = sort_key(self.name)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def abbreviation_list(self) -> list[str]:
        return [a.strip() for a in self.abbreviations.split(",") if a.strip()]

    def clean(self):
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot be merged into itself.")})
        if self.successor_id and self.successor.council_id != self.council_id:
            raise ValidationError({"successor": _("The successor must belong to the same council.")})


class BlocQuerySet(SearchableQuerySet):
    def of_council(self, council):
        return self.filter(council=council)

    def with_member(self, unit, year: int | None = None):
        """Blocs that ``unit`` belongs to (in ``year``, or in any year)."""
        memberships = Membership.objects.filter(unit=unit)
        if year is not None:
            memberships = memberships.covering(year)
        return self.filter(pk__in=memberships.values("bloc_id"))


class Bloc(UniqueCodeMixin, models.Model):
    """Khối / cụm thi đua: an emulation bloc of agencies, or a cluster of provinces or communes."""

    code_taken_message = _("Another bloc of this council already has this code.")

    class Kind(models.TextChoices):
        BLOC = "bloc", _("Emulation bloc")
        CLUSTER = "cluster", _("Emulation cluster")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="blocs", verbose_name=_("council"))
    name = NFCCharField(_("name"), max_length=255)
    code = NFCCharField(
        _("short code"), max_length=30, help_text=_("Used in document numbers, e.g. “KTĐ6” in “01/BB-KTĐ6”.")
    )
    # The code with its letter case folded, as Unit.code_key: "KTĐ6" and "ktđ6" would be two series of
    # document numbers of one bloc. "KTD6" stays another code: Đ is a letter of its own.
    code_key = models.CharField(max_length=30, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BLOC)
    description = NFCTextField(_("description"), blank=True)
    issuing_lines = NFCTextField(
        _("issuing body lines"),
        blank=True,
        help_text=_(
            "Optional: the document header's exact lines, one per printed line: the parent body's lines, an "
            "empty line, then the bloc's lines (without an empty line, the first line is the parent body). "
            "Empty: the council's lines above the bloc's name."
        ),
    )
    signer_lines = NFCTextField(
        _("signer's lines"),
        blank=True,
        help_text=_(
            "Optional: the lines above the chair's signature, one per printed line (e.g. “TM. BAN THƯỜNG TRỰC” "
            "and “KHỐI TRƯỞNG”). Empty: “TM. KHỐI THI ĐUA” and “KHỐI TRƯỞNG” (or the cluster's)."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")
    sort_name = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["code_key"])  # derived from the code, which is kept

    objects = BlocQuerySet.as_manager()

    class Meta:
        verbose_name = _("bloc")
        verbose_name_plural = _("blocs")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="bloc_code_unique_per_council"),
            models.UniqueConstraint(fields=["council", "code_key"], name="bloc_code_unique_ignoring_case"),
            models.UniqueConstraint(fields=["council", "name"], name="bloc_name_unique_per_council"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.keys_compute()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blocs:bloc_detail", args=[self.pk])

    def keys_compute(self) -> None:
        """The stored keys (code, search, sort) from the bloc's text; a bulk write calls it itself."""
        self.code_key = code_key(self.code)
        self.search_text = fold(" ".join([self.name, self.code]))
        self.sort_name = sort_key(self.name)

    @property
    def chair_word(self) -> str:
        return _("Cluster chair") if self.kind == self.Kind.CLUSTER else _("Bloc chair")

    @property
    def vice_word(self) -> str:
        return _("Cluster vice-chairs") if self.kind == self.Kind.CLUSTER else _("Bloc vice-chairs")

    @property
    def seats_word(self) -> str:
        """ "Khối trưởng, Khối phó" or "Cụm trưởng, Cụm phó": the seat holders, in the bloc's own words."""
        return f"{self.chair_word}, {self.vice_word}"

    def seat_label(self, rank: int, vice_count: int = 1) -> str:
        """Khối trưởng / Khối phó / Cụm phó thứ nhất …: the title of a seat."""
        if rank == 0:
            return str(self.chair_word)
        if self.kind == self.Kind.CLUSTER:
            base = _("Cluster vice-chair")
        else:
            base = _("Bloc vice-chair")
        if vice_count <= 1:
            return str(base)
        ordinals = {1: _("first"), 2: _("second"), 3: _("third"), 4: _("fourth")}
        return f"{base} {ordinals.get(rank, rank)}"

    def document_header(self) -> Header:
        """The issuing body of this bloc's documents (Decree 30: the direct parent body above the issuing
        body): the council above the bloc, each line broken between words as it fits; or, when an officer
        set them, exactly the lines set (the parent body's lines, an empty line, the bloc's lines)."""
        if self.issuing_lines.strip():
            return Header.parse(self.issuing_lines)
        council_lines = paragraphs(self.council.bloc_parent_lines)
        return Header(
            parent_lines=council_lines or [self.council.name], body_lines=[self.name], parent_exact=bool(council_lines)
        )

    def members(self, year: int):
        """The member units of ``year`` in protocol order (memberships, with their unit)."""
        return self.memberships.covering(year).select_related("unit").order_by("display_order", "unit__sort_name")

    def seats_of(self, year: int):
        return self.seats.filter(year=year).select_related("unit").order_by("rank")


class MembershipQuerySet(models.QuerySet):
    def covering(self, year: int):
        """Memberships in force in ``year`` (first and last year inclusive; no last year = still a member)."""
        return self.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))

    def overlapping(self, first_year: int, last_year: int | None):
        qs = self if last_year is None else self.filter(first_year__lte=last_year)
        return qs.filter(Q(last_year__isnull=True) | Q(last_year__gte=first_year))


class Membership(models.Model):
    """Đơn vị thành viên: a unit's membership of a bloc from ``first_year`` to ``last_year`` inclusive."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bloc"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=year_validators())
    last_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=year_validators(),
        help_text=_("Empty: still a member."),
    )
    display_order = models.PositiveSmallIntegerField(
        _("protocol order"), default=100, help_text=_("Order in lists and signature blocks; smaller first.")
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["display_order", "unit__sort_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="membership_years_in_order",
            ),
            # Overlap of two periods cannot be a portable constraint; this one catches the common
            # duplicate, and clean()/services check the rest.
            models.UniqueConstraint(fields=["bloc", "unit", "first_year"], name="membership_unique_start"),
        ]

    def __str__(self):
        end = self.last_year or "…"
        return f"{self.unit} — {self.bloc} ({self.first_year}–{end})"

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or self.last_year >= year)

    def clean(self):
        if self.last_year is not None and self.first_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The last year cannot be before the first year.")})
        if self.bloc_id and self.unit_id:
            if self.unit.council_id != self.bloc.council_id:
                raise ValidationError({"unit": _("The unit belongs to another council.")})
            if self.first_year is None:
                return  # clean_fields() reports the missing year; nothing to compare against.
            clash = (
                Membership.objects.filter(bloc_id=self.bloc_id, unit_id=self.unit_id)
                .exclude(pk=self.pk)
                .overlapping(self.first_year, self.last_year)
                .first()
            )
            if clash and clash.last_year is None:
                # A member still: "since 2018", never "from 2018 to …".
                raise ValidationError(
                    {
                        "first_year": _("This unit has been a member of the bloc since %(first)s.")
                        % {"first": clash.first_year}
                    }
                )
            if clash:
                raise ValidationError(
                    {
                        "first_year": _("This unit is already a member of the bloc from %(first)s to %(last)s.")
                        % {"first": clash.first_year, "last": clash.last_year}
                    }
                )


class Seat(models.Model):
    """A seat of a bloc-year: rank 0 is the chair (khối trưởng), 1.. the vice-chairs (khối phó) in order."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="seats", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="seats", verbose_name=_("unit"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["bloc", "-year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "rank"], name="seat_one_unit_per_rank"),
            models.UniqueConstraint(fields=["bloc", "year", "unit"], name="seat_one_per_unit"),
        ]

    def __str__(self):
        return f"{self.bloc.code} {self.year}: {self.unit} ({self.rank})"

    @property
    def is_chair(self) -> bool:
        return self.rank == 0

    def clean(self):
        if self.bloc_id and self.unit_id and self.year:
            if not self.bloc.memberships.covering(self.year).filter(unit_id=self.unit_id).exists():
                raise ValidationError(
                    {"unit": _("The unit is not a member of the bloc in %(year)s.") % {"year": self.year}}
                )


class SeatWrite(models.Model):
    """One write of a bloc-year's seats: who set them, with what right, how, why, and to what.

    The last write wins. ``authority`` is the right the writer used (docs/domain.md, "Writing seats"): an officer's, the
    outgoing seat holders' (year Y's holders record the election of Y+1), or the system's (the demo
    loader, a data migration). Seats written by seat holders grant the right to elect the year after only
    once the minutes of that election are final (``blocs.access.seat_write_refusal``).
    """

    class Source(models.TextChoices):
        OFFICER = "officer", _("Set on the seats page")
        ROTATION = "rotation", _("Rotation suggestion accepted")
        CONFERENCE = "conference", _("Elected at a conference")
        MERGER = "merger", _("Passed on by a merger")
        IMPORT = "import", _("Imported")

    class Authority(models.TextChoices):
        OFFICER = "officer", _("Officer")
        SEAT_HOLDERS = "seat_holders", _("Seat holders of the year before")
        SYSTEM = "system", _("System")

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="seat_writes")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    authority = models.CharField(_("authority"), max_length=20, choices=Authority.choices, default=Authority.SYSTEM)
    holders = models.JSONField(_("holders"), help_text="[[rank, unit id, unit name], …]")
    reason = NFCTextField(_("reason"), blank=True)
    written_by = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat write")
        verbose_name_plural = _("seat writes")
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["bloc", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(authority__in=["officer", "seat_holders", "system"]), name="seatwrite_authority_valid"
            ),
        ]

    def __str__(self):
        return f"{self.bloc.code} {self.year}: {self.get_source_display()}"


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username):
        # Logins ignore letter case: usernames are ASCII and unique whatever their case (User.Meta).
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

    # Who is told about something (blocs.selectors, the apps' notifications): active accounts only.

    def of_units(self, unit_ids: Iterable[int]) -> models.QuerySet[User]:
        """The active users of these units: the people who act for them in the portal."""
        return self.filter(is_active=True, unit_id__in=list(unit_ids))

    def officers_of(self, council: Council | int) -> models.QuerySet[User]:
        """The council's active officers: its Board staff (the council, no unit). A superuser of no council
        reads every council (``blocs.access.is_officer_of``) but is nobody's staff, so is not told."""
        council_id = council if isinstance(council, int) else council.pk
        return self.filter(is_active=True, unit__isnull=True, council_id=council_id)


class User(AbstractUser):
    """A portal user: Board staff of a council (an officer: no unit) or a user of a unit.

    A username is ASCII (no diacritics) so that "KHOITRUONG" and "khoitruong" are one username on every
    database: SQLite's lower() folds ASCII letters only. Login ignores the letter case.
    """

    username_validator = UsernameValidator()

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_(
            "Required. 150 characters or fewer: letters without diacritics, digits and @/./+/-/_ only. "
            "Upper and lower case count as the same letter."
        ),
        validators=[username_validator],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    first_name = NFCCharField(_("first name"), max_length=150, blank=True)
    last_name = NFCCharField(_("last name"), max_length=150, blank=True)
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("council"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("unit")
    )
    position = NFCCharField(_("position"), max_length=150, blank=True)
    # Set when an officer sets the password (a new account, a reset), cleared when the user sets their own;
    # while set, blocs.middleware.PasswordChangeRequiredMiddleware opens only the password change. Kept in
    # the history: it is the trace of an officer's reset, the password itself being left out.
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # A unit user is never Board staff; Board staff always belong to a council.
            models.CheckConstraint(condition=Q(is_superuser=True) | Q(council__isnull=False), name="user_has_council"),
            # Usernames are ASCII, so lower() folds every letter on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ignoring_case",
                violation_error_message=_("A user with this username already exists (letter case does not matter)."),
            ),
        ]

    @property
    def is_board_staff(self) -> bool:
        return self.council_id is not None and self.unit_id is None

    def clean(self):
        super().clean()
        if self.unit_id and self.council_id and self.unit.council_id != self.council_id:
            raise ValidationError({"unit": _("The unit belongs to another council.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.unit is not None and not self.council_id:
            self.council_id = self.unit.council_id
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return nfc(f"{self.last_name} {self.first_name}") or self.username


class CalendarFeed(models.Model):
    """A user's iCalendar feed (lịch trên điện thoại): the secret address a phone's calendar subscribes to.

    A phone cannot log in, so the token in the address is the only check (``blocs.calendar_views``): it is
    random (``secrets.token_urlsafe``), one per user, made on the user's first view of the calendar page, and
    replaced when the user resets it, which stops the old address. The history keeps when it was made, not
    the token.
    """

    user = models.OneToOneField("User", on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user"))
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [models.CheckConstraint(condition=~Q(token=""), name="calendar_feed_token_not_empty")]

    def __str__(self):
        return f"{self.user} ({self.created_at:%d/%m/%Y})"


class MembershipList(Issuable):
    """An issued copy of a bloc-year's membership list (danh sách đơn vị thành viên, "Số: 01/DS-KTĐ6").

    One row per distinct printed content (``snapshot``: a checksum of what the list prints, its date and
    number aside), so issuing the same list again — a double click, two officers at once — gives the copy
    already issued, while a list whose members, seats or signer changed since gets a new number. The
    document itself is issued once through ``documents.services.document_issue_once``.
    """

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="membership_lists", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    snapshot = models.CharField(_("content checksum"), max_length=64, editable=False)
    created_by = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["pdf_claimed_at"])

    class Meta:
        verbose_name = _("membership list")
        verbose_name_plural = _("membership lists")
        ordering = ["bloc", "-year", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "snapshot"], name="membership_list_once_per_content"),
        ]

    def __str__(self):
        return f"{self.bloc.code} {self.year}: {self.document.number_text if self.document_id else '…'}"


class DeadlineQuerySet(models.QuerySet):
    def of_year(self, council_id: int, year: int) -> DeadlineQuerySet:
        return self.filter(council_id=council_id, year=year)

    def effective(self, bloc: Bloc, year: int) -> dict[str, Deadline]:
        """The bloc-year's deadline of each kind: the bloc's own where the officers set one, the council's
        otherwise. One query."""
        found: dict[str, Deadline] = {}
        rows = self.filter(council_id=bloc.council_id, year=year).filter(Q(bloc__isnull=True) | Q(bloc=bloc))
        for deadline in rows:
            # The bloc's own wins whichever row comes first.
            if deadline.bloc_id or deadline.kind not in found:
                found[deadline.kind] = deadline
        return found


class Deadline(models.Model):
    """Hạn: the day by which something of an emulation year must be done, set by the council's officers for
    all its blocs, or for one bloc (which then counts instead of the council's). A deadline governs pages
    (they show it and the days left), the to-do lists (late items) and the reminders (``send_reminders``)."""

    class Kind(models.TextChoices):
        PLEDGE_SIGNING = "pledge_signing", _("Pledge signed by")
        REGISTRATION = "registration", _("Registrations by")
        SELF_SCORES = "self_scores", _("Self scores submitted by")
        REVIEW = "review", _("Scores reviewed by")
        CONFERENCE = "conference", _("Year-end conference held by")
        SUBMISSION = "submission", _("Award proposals submitted by")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("council"))
    year = models.PositiveSmallIntegerField(_("emulation year"), validators=year_validators())
    kind = models.CharField(_("what is due"), max_length=20, choices=Kind.choices)
    bloc = models.ForeignKey(
        Bloc,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("bloc"),
        help_text=_("Empty: the deadline of every bloc of the council."),
    )
    due_on = BoundedDateField(_("due on"))
    note = NFCCharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["council", "-year", "kind", "bloc"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "kind"],
                condition=Q(bloc__isnull=True),
                name="deadline_one_per_council_year_kind",
                violation_error_message=_("The council already has a deadline of this kind for this year."),
            ),
            models.UniqueConstraint(
                fields=["bloc", "year", "kind"],
                condition=Q(bloc__isnull=False),
                name="deadline_one_per_bloc_year_kind",
                violation_error_message=_("The bloc already has its own deadline of this kind for this year."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}: {self.due_on:%d/%m/%Y}"

    def clean(self):
        if self.bloc_id and self.council_id and self.bloc.council_id != self.council_id:
            raise ValidationError({"bloc": _("The bloc belongs to another council.")})

    def days_left(self, today) -> int:
        """Days from ``today`` to the deadline: 0 on the day itself, negative once it has passed."""
        return (self.due_on - today).days


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def mail_due(self) -> NotificationQuerySet:
        """Those whose e-mail is still to be sent (never tried, or the mail server failed)."""
        return self.filter(email=Notification.Email.PENDING)


class Notification(models.Model):
    """Thông báo: what the portal tells one user — in the portal (the bell, the list) and by e-mail unless the
    user turned e-mail off for its kind. Recorded first, in the transaction of what it tells; the e-mail is
    sent after the commit by a background job (``blocs.notifications``), so a failing mail server loses
    nothing: the notice stays ``pending`` until a later run delivers it."""

    class Kind(models.TextChoices):
        SIGNING_OPENED = "signing_opened", _("Pledge signing opened")
        PROPOSAL_RETURNED = "proposal_returned", _("Proposal returned")
        PROPOSAL_APPROVED = "proposal_approved", _("Proposal approved")
        PROPOSAL_REJECTED = "proposal_rejected", _("Proposal rejected")
        PROPOSAL_DECIDED = "proposal_decided", _("Proposal decided")
        SUBMISSION_RECEIVED = "submission_received", _("Submission received")
        MINUTES_FINAL = "minutes_final", _("Minutes final")
        DEADLINE_SOON = "deadline_soon", _("Deadline coming")
        DEADLINE_PASSED = "deadline_passed", _("Deadline passed")

    class Email(models.TextChoices):
        NO_ADDRESS = "no_address", _("No e-mail address")
        OFF = "off", _("E-mail turned off")
        PENDING = "pending", _("To be sent")
        SENT = "sent", _("Sent")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = NFCCharField(_("title"), max_length=255)
    body = NFCTextField(_("text"), blank=True)
    url = models.CharField(_("page"), max_length=500, blank=True, help_text=_("The page where it is done."))
    # What the notice is about, for the ones that must never be sent twice (a reminder: kind, deadline, day).
    key = models.CharField(_("key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=20, choices=Email.choices)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_user_and_key"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["email", "created_at"], name="notification_mail_due"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailOptOut(models.Model):
    """A user's "no e-mail for this kind": notices of the kind still appear in the portal."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=30, choices=Notification.Kind.choices)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once")]

    def __str__(self):
        return f"{self.user} − {self.get_kind_display()}"
