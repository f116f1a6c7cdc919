"""Hội nghị: a bloc's meetings, what they decided, and their minutes (biên bản).

A meeting's ``year`` is the year it reviews (An Giang met on 02/02/2021 to review 2020). The meeting
records its own facts (schedule, guests, attendance, report, directions, the movement launched) and
*links* to what it decided in the other apps — the proposals it voted on and the bloc's own awards
(``awards``), the seats it elected (``blocs``), the pledge signed at it (``pledges``). Those records are
written only by their own apps' services, called from ``meetings.services`` inside one transaction; the
link rows here keep a snapshot of what the conference decided (names and tallies as recorded), so the
minutes print what happened that day whatever changes later.

Minutes are versioned: version 1 is a draft until finalised; a correction is a new version with a
reason. A final version keeps its content (the structured text, ``meetings.content``), the issued PDF
with its number and checksum (``documents.IssuedDocument``) and any scans of the signed paper.

Invariants the database holds: one year-end conference per bloc and year under review; one attendance
row per unit; a unit elected to one seat only; version numbers unique, one draft at a time, a
correction has a reason, a final version has its content. The ones spanning tables (attendees and
elected units are members of the right year) are in ``meetings.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.fields import BoundedDateField, NFCCharField, NFCTextField
from blocs.models import Bloc, SeatWrite, Unit, year_validators
from documents.models import Issuable, IssuedDocument, Scan

# The minutes' document type, as in "Số: 01/BB-KTĐ6" (BB = biên bản).
DOC_TYPE = "BB"


class MeetingQuerySet(models.QuerySet):
    def of_year(self, year: int):
        return self.filter(year=year)

    def year_end(self):
        return self.filter(kind=Meeting.Kind.YEAR_END)


class AttendanceState(models.TextChoices):
    """What is known of the member units' attendance: nothing, that every member came, or who came."""

    NOT_RECORDED = "not_recorded", _("Not recorded")
    ALL = "all", _("All member units present")
    LIST = "list", _("As listed")


class Meeting(models.Model):
    """Hội nghị of a bloc: a year-end conference (tổng kết), a mid-year review (sơ kết), a pledge
    signing (ký kết giao ước) or another meeting."""

    class Kind(models.TextChoices):
        YEAR_END = "year_end", _("Year-end conference")
        MID_YEAR = "mid_year", _("Mid-year review")
        PLEDGE_SIGNING = "pledge_signing", _("Pledge signing")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held: results recorded")

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("bloc"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.YEAR_END)
    year = models.PositiveSmallIntegerField(
        _("year under review"), validators=year_validators(), help_text=_("The emulation year the meeting reviews.")
    )
    title = NFCCharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Printed under “BIÊN BẢN”. Empty: the usual title of the kind, e.g. “Hội nghị tổng kết …”."),
    )
    date = BoundedDateField(_("date"))
    # Optional facts ("unknown is a valid answer", docs/domain.md): left empty, the documents say nothing of them.
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("For the closing-time line."))
    # Whether the minutes were read out and approved before the meeting closed: printed only when recorded
    # as yes (unknown, the default, prints nothing; docs/domain.md, "say only what happened").
    minutes_approved = models.BooleanField(
        _("minutes approved at the meeting"),
        null=True,
        blank=True,
        default=None,
        help_text=_("The minutes were read out and approved at the meeting; not recorded, they say nothing of it."),
    )
    place = NFCCharField(_("place"), max_length=255, blank=True)
    date_line_place = NFCCharField(
        _("place name of the date line"),
        max_length=100,
        blank=True,
        help_text=_("As in “<place>, ngày … tháng … năm …”. Empty: the council's place name."),
    )
    host_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host unit"),
    )
    presiding_name = NFCCharField(_("presiding person"), max_length=100, blank=True)
    presiding_title = NFCCharField(_("presiding person's title"), max_length=200, blank=True)
    secretary_name = NFCCharField(_("secretary"), max_length=100, blank=True)
    secretary_title = NFCCharField(_("secretary's title"), max_length=200, blank=True)
    agenda = NFCTextField(_("agenda"), blank=True)
    # The results (filled by meeting_record_results).
    report_summary = NFCTextField(_("report summary"), blank=True)
    directions = NFCTextField(_("next year's directions"), blank=True)
    movement_launched = models.BooleanField(_("next year's movement launched"), default=False)
    movement_text = NFCTextField(_("movement launched"), blank=True)
    all_units_completed = models.BooleanField(
        _("all member units completed their tasks"),
        default=False,
        help_text=_("Tick only if the conference stated it: the minutes say it only then."),
    )
    attendance_state = models.CharField(
        _("attendance"), max_length=15, choices=AttendanceState.choices, default=AttendanceState.NOT_RECORDED
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    results_recorded_at = models.DateTimeField(_("results recorded at"), null=True, blank=True)
    results_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start_time", "-id"]
        indexes = [models.Index(fields=["bloc", "year"]), models.Index(fields=["year", "kind"])]
        constraints = [
            # One year-end conference reviews a bloc's year; other meetings may be as many as needed.
            models.UniqueConstraint(
                fields=["bloc", "year"], condition=Q(kind="year_end"), name="meeting_one_year_end_per_bloc_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["year_end", "mid_year", "pledge_signing", "other"]), name="meeting_kind_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=["scheduled", "held"]), name="meeting_status_valid"),
            models.CheckConstraint(
                condition=Q(attendance_state__in=["not_recorded", "all", "list"]), name="meeting_attendance_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled") | Q(results_recorded_at__isnull=False),
                name="meeting_held_has_results_time",
            ),
        ]

    def __str__(self):
        return f"{self.bloc.code} — {self.display_title} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_year_end(self) -> bool:
        return self.kind == self.Kind.YEAR_END

    @property
    def date_line_place_name(self) -> str:
        """The place of the documents' date line: the meeting's own, else the council's."""
        return self.date_line_place or self.bloc.council.place_name

    @property
    def display_title(self) -> str:
        """The subject line of the minutes: the title set, or the usual one of the kind (Vietnamese, as
        printed)."""
        return self.title or default_title(self.kind, self.year)


def default_title(kind: str, year: int) -> str:
    """The usual subject of a meeting of ``kind`` reviewing ``year`` (fixed Vietnamese wording)."""
    titles = {
        Meeting.Kind.YEAR_END: f"Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}",
        Meeting.Kind.MID_YEAR: f"Hội nghị sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm {year}",
        Meeting.Kind.PLEDGE_SIGNING: f"Hội nghị ký kết giao ước thi đua năm {year}",
    }
    return titles.get(kind, f"Hội nghị năm {year}")


class MeetingGuest(models.Model):
    """Khách mời: a guest of the meeting (name, position, organisation), in the order they are listed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests", verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = NFCCharField(_("name"), max_length=150, blank=True, help_text=_("May be empty: “đại diện lãnh đạo”."))
    position = NFCCharField(_("position"), max_length=200, blank=True)
    organisation = NFCCharField(_("organisation"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.position, self.organisation) if part)


class MeetingAttendance(models.Model):
    """A member unit at the meeting: present or not, and who represented it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meeting_attendance", verbose_name=_("unit"))
    present = models.BooleanField(_("present"), default=True)
    representatives = NFCCharField(
        _("representatives"), max_length=500, blank=True, help_text=_("E.g. “Ông Nguyễn Văn A, Phó Chủ tịch”.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "unit"], name="meeting_attendance_once_per_unit")]

    def __str__(self):
        return f"{self.meeting_id}: {self.unit}"


class MeetingProposalVote(models.Model):
    """A proposal the conference voted on (bình xét, suy tôn), with the tally as recorded at it.

    The proposal lives in ``awards``; the snapshot keeps what the minutes print even if the proposal is
    changed later (returned and fixed, say).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes", verbose_name=_("meeting"))
    proposal = models.ForeignKey(
        "awards.Proposal", on_delete=models.PROTECT, related_name="meeting_votes", verbose_name=_("proposal")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    award_type_name = NFCCharField(_("award type"), max_length=200)
    recipient_name = NFCCharField(_("recipient"), max_length=400)
    recipient_detail = NFCCharField(_("position and unit"), max_length=400, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    ballots_cast = models.PositiveSmallIntegerField(_("ballots cast"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    acclamation = models.BooleanField(_("by acclamation (thống nhất)"), default=False)
    # The proposal's reason as it stood when the vote was recorded (e.g. the ranking it cites): the minutes
    # print it after the recipient; empty, they print nothing.
    award_reason = NFCTextField(_("reason for the award"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote on a proposal")
        verbose_name_plural = _("votes on proposals")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "proposal"], name="meeting_vote_once_per_proposal"),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(ballots_cast__isnull=True)
                | Q(votes_for__lte=F("ballots_cast")),
                name="meeting_vote_for_within_ballots",
            ),
            models.CheckConstraint(
                condition=Q(ballots_cast__isnull=True)
                | Q(members_present__isnull=True)
                | Q(ballots_cast__lte=F("members_present")),
                name="meeting_vote_ballots_within_present",
            ),
            models.CheckConstraint(
                condition=Q(acclamation=False) | Q(ballots_cast__isnull=True, votes_for__isnull=True),
                name="meeting_vote_acclamation_has_no_ballots",
            ),
            # Counts come together or not at all; none and no acclamation is "not recorded".
            models.CheckConstraint(
                condition=Q(ballots_cast__isnull=True, votes_for__isnull=True)
                | Q(ballots_cast__isnull=False, votes_for__isnull=False),
                name="meeting_vote_counts_together",
            ),
        ]

    def __str__(self):
        return f"{self.award_type_name}: {self.recipient_name}"

    @property
    def tally_recorded(self) -> bool:
        return self.acclamation or self.votes_for is not None


class AwardSnapshot(models.Model):
    """An award a meeting names, with the names kept as recorded that day (the proposal in ``awards`` may be
    renamed or corrected later; the minutes print what the meeting said)."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    award_type_name = NFCCharField(_("award type"), max_length=200)
    recipient_name = NFCCharField(_("recipient"), max_length=400)
    recipient_detail = NFCCharField(_("position and unit"), max_length=400, blank=True)

    class Meta:
        abstract = True
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return f"{self.award_type_name}: {self.recipient_name}"


class MeetingBlocAward(AwardSnapshot):
    """An award the bloc gave itself at the conference (tập thể / cá nhân điển hình tiên tiến), decided
    through ``awards``; the names are kept as recorded."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="bloc_awards", verbose_name=_("meeting")
    )
    proposal = models.ForeignKey(
        "awards.Proposal", on_delete=models.PROTECT, related_name="meeting_bloc_awards", verbose_name=_("award")
    )
    individual = models.BooleanField(_("individual"), default=False)
    history = HistoricalRecords()

    class Meta(AwardSnapshot.Meta):
        verbose_name = _("bloc-issued award")
        verbose_name_plural = _("bloc-issued awards")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "proposal"], name="meeting_bloc_award_once_per_proposal"),
        ]


class MeetingElection(models.Model):
    """The election of a bloc-year's chair and vice-chairs at the meeting (usually next year's), made
    through ``blocs.services.seats_set``; the elected units are kept here as elected, with how the
    conference elected them (the minutes' wording follows it)."""

    class Method(models.TextChoices):
        NOT_RECORDED = "not_recorded", _("Not recorded")
        SECRET_BALLOT = "secret_ballot", _("Secret ballot")
        ACCLAMATION = "acclamation", _("By acclamation (thống nhất)")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="election", verbose_name=_("meeting")
    )
    year = models.PositiveSmallIntegerField(_("year elected for"), validators=year_validators())
    seat_write = models.ForeignKey(
        SeatWrite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seat write"),
        help_text=_("The write of the seats this election made."),
    )
    method = models.CharField(
        _("how it was elected"), max_length=15, choices=Method.choices, default=Method.NOT_RECORDED
    )
    ballots = models.PositiveSmallIntegerField(
        _("valid ballots"),
        null=True,
        blank=True,
        help_text=_("Secret ballot only: the valid ballots cast. Empty: not recorded (the minutes give no count)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["not_recorded", "secret_ballot", "acclamation"]),
                name="meeting_election_method_valid",
            ),
            # Counts exist only for a secret ballot: an election by acclamation has no ballots.
            models.CheckConstraint(
                condition=Q(ballots__isnull=True) | Q(method="secret_ballot"),
                name="meeting_election_ballots_only_secret",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.year}"


class MeetingElectedSeat(models.Model):
    """One elected seat: rank 0 the chair, 1.. the vice-chairs in order. A unit holds one seat only."""

    election = models.ForeignKey(
        MeetingElection, on_delete=models.CASCADE, related_name="seats", verbose_name=_("election")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_name = NFCCharField(_("unit name"), max_length=255)
    votes = models.PositiveSmallIntegerField(
        _("votes received"), null=True, blank=True, help_text=_("Secret ballot only. Empty: not recorded.")
    )
    # The election's valid ballots, kept on the seat as recorded with its votes: a check constraint sees one
    # row only, and this is how the database itself refuses more votes than ballots.
    ballots = models.PositiveSmallIntegerField(_("valid ballots"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("elected seat")
        verbose_name_plural = _("elected seats")
        ordering = ["election", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["election", "rank"], name="meeting_elected_one_unit_per_rank"),
            # A unit cannot be elected chair and vice-chair.
            models.UniqueConstraint(fields=["election", "unit"], name="meeting_elected_one_seat_per_unit"),
            models.CheckConstraint(
                condition=Q(votes__isnull=True) | Q(ballots__isnull=True) | Q(votes__lte=F("ballots")),
                name="meeting_elected_votes_within_ballots",
            ),
        ]

    def __str__(self):
        return f"{self.rank}: {self.unit_name}"


class MeetingHandover(models.Model):
    """Bàn giao: the outgoing chair hands the chair role to the incoming one — with the rotating flag
    (cờ luân lưu) only where it was handed. The minutes say only what happened."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="handover", verbose_name=_("meeting")
    )
    outgoing_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("outgoing chair")
    )
    incoming_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("incoming chair")
    )
    flag_handed = models.BooleanField(_("rotating flag handed over"), default=False)
    flag_received_by = NFCCharField(
        _("received on the incoming unit's behalf by"),
        max_length=255,
        blank=True,
        help_text=_("E.g. “Ông Nguyễn Văn A, Phó Chủ tịch”. Empty: the minutes name no one."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chair handover")
        verbose_name_plural = _("chair handovers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outgoing_unit=F("incoming_unit")), name="meeting_handover_between_two_units"
            ),
        ]

    def __str__(self):
        return f"{self.outgoing_unit} → {self.incoming_unit}"


class MeetingAwardHandedOver(AwardSnapshot):
    """Trao khen thưởng: an award decided earlier (by an outside authority, for an earlier year, say) that
    was handed over at this meeting. Not a vote: the minutes list it under the awards handed over. The
    proposal lives in ``awards`` and is decided; the names are kept as recorded."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="awards_handed_over", verbose_name=_("meeting")
    )
    proposal = models.ForeignKey(
        "awards.Proposal", on_delete=models.PROTECT, related_name="meeting_handovers", verbose_name=_("award")
    )
    history = HistoricalRecords()

    class Meta(AwardSnapshot.Meta):
        verbose_name = _("award handed over")
        verbose_name_plural = _("awards handed over")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "proposal"], name="meeting_award_handed_over_once"),
        ]


class MeetingPledgeSigning(models.Model):
    """Ký kết giao ước: a pledge version signed at the meeting (through ``pledges``)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="pledge_signing", verbose_name=_("meeting")
    )
    version = models.ForeignKey(
        "pledges.PledgeVersion", on_delete=models.PROTECT, related_name="meeting_signings", verbose_name=_("pledge")
    )
    pledge_year = models.PositiveSmallIntegerField(_("pledge year"), validators=year_validators())
    signed_on = BoundedDateField(_("signed on"))
    units_signed = models.PositiveSmallIntegerField(_("units that signed"), default=0)
    units_total = models.PositiveSmallIntegerField(_("signatories"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge signing")
        verbose_name_plural = _("pledge signings")

    def __str__(self):
        return f"{self.meeting_id}: {self.pledge_year}"


class Minutes(models.Model):
    """Biên bản of a meeting; its text and documents are in its versions."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.meeting}"

    def current_version(self) -> MinutesVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def issuer_subject(self) -> str:
        return f"minutes:{self.pk}"


class MinutesVersion(Issuable):
    """One version of the minutes: draft (printed "DỰ THẢO", follows the record) → final (its content,
    number, PDF and checksum kept for ever). A correction is the next number, with a reason."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions", verbose_name=_("minutes"))
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    reason = NFCTextField(_("reason for the correction"), blank=True)
    # The structured text as finalised (documents.content.DocumentContent.as_dict()); the PDF and the Word
    # document of a final version are made from it, never from the record, which may change later.
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)
    # The issued PDF, issued once (documents.Issuable: document, pdf_error, pdf_claimed_at); declared
    # again to keep the reverse accessor's name.
    document = models.OneToOneField(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_version",
        verbose_name=_("issued document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["pdf_claimed_at"])

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="minutes_version_number_positive"),
            models.UniqueConstraint(fields=["minutes"], condition=Q(state="draft"), name="minutes_one_draft"),
            models.CheckConstraint(condition=Q(state__in=["draft", "final"]), name="minutes_version_state_valid"),
            models.CheckConstraint(condition=Q(number=1) | ~Q(reason=""), name="minutes_correction_has_reason"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(finalised_at__isnull=False, content__isnull=False),
                name="minutes_final_has_content",
            ),
        ]

    def __str__(self):
        return f"{self.minutes} v{self.number}"

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def subject_key(self) -> str:
        """The issued document's subject, to find it among issued documents."""
        return f"minutes:{self.minutes_id}:v{self.number}"


class MinutesScan(Scan):
    """A scan of the signed paper minutes of a version (see ``documents.models.Scan``)."""

    version = models.ForeignKey(
        MinutesVersion, on_delete=models.CASCADE, related_name="scans", verbose_name=_("minutes version")
    )
    history = HistoricalRecords()

    class Meta(Scan.Meta):
        verbose_name = _("minutes scan")
        verbose_name_plural = _("minutes scans")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["pdf", "jpeg", "png"]), name="minutes_scan_kind_valid"),
        ]

    def upload_path(self, extension: str) -> str:
        version = self.version
        return f"meetings/minutes/minutes-{version.minutes_id}-v{version.number}-scan.{extension}"
