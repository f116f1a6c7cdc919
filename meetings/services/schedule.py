"""Scheduling a meeting: when and where, who presides and takes the minutes, the guests and the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.models import Bloc, Unit, User
from blocs.text import nfc_line

from ..models import (
    Meeting,
    MeetingGuest,
)
from ._shared import _require_minutes_open


@dataclass(frozen=True)
class GuestEntry:
    """Khách mời, as the schedule form sends it."""

    organisation: str
    name: str = ""
    position: str = ""


SCHEDULE_FIELDS = (
    "kind",
    "year",
    "title",
    "date",
    "start_time",
    "end_time",
    "minutes_approved",
    "place",
    "date_line_place",
    "host_unit",
    "presiding_name",
    "presiding_title",
    "secretary_name",
    "secretary_title",
    "agenda",
)


def meeting_schedule(
    *,
    bloc: Bloc,
    kind: str,
    year: int,
    date: date,
    by: User | None,
    start_time: time | None = None,
    place: str = "",
    date_line_place: str = "",
    end_time: time | None = None,
    minutes_approved: bool | None = None,
    title: str = "",
    host_unit: Unit | None = None,
    presiding_name: str = "",
    presiding_title: str = "",
    secretary_name: str = "",
    secretary_title: str = "",
    agenda: str = "",
    guests: Sequence[GuestEntry] = (),
) -> Meeting:
    """Schedule a meeting of ``bloc`` reviewing ``year``: when, where, who presides and takes the minutes,
    the guests and the agenda. One year-end conference per bloc-year."""
    meeting = Meeting(bloc=bloc, created_by=by)
    values = {
        "kind": kind,
        "year": year,
        "title": title,
        "date": date,
        "start_time": start_time,
        "end_time": end_time,
        "minutes_approved": minutes_approved,
        "place": place,
        "date_line_place": date_line_place,
        "host_unit": host_unit,
        "presiding_name": presiding_name,
        "presiding_title": presiding_title,
        "secretary_name": secretary_name,
        "secretary_title": secretary_title,
        "agenda": agenda,
    }
    with transaction.atomic():
        _meeting_assign(meeting, values)
        _meeting_save(meeting, by)
        _guests_set(meeting, guests, by)
    return meeting


def meeting_update(
    *, meeting: Meeting, by: User | None, guests: Sequence[GuestEntry] | None = None, **values: Any
) -> Meeting:
    """Change a meeting's schedule (any of ``SCHEDULE_FIELDS``) and, if given, its guests.

    These facts print in the minutes, so once the minutes are final they change only after a correction
    is started; the year reviewed cannot change once results are recorded (attendance depends on it).
    """
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("bloc__council").get(pk=meeting.pk)
        _require_minutes_open(meeting)
        if meeting.is_held and "year" in values and values["year"] != meeting.year:
            raise ValidationError(
                {
                    "year": _("The results of %(year)s are recorded: the year reviewed cannot change.")
                    % {"year": meeting.year}
                }
            )
        changed = _meeting_assign(meeting, values)
        if changed:
            _meeting_save(meeting, by)
        if guests is not None:
            _guests_set(meeting, guests, by)
    return meeting


def meeting_delete(*, meeting: Meeting, by: User | None) -> None:
    """Cancel a scheduled meeting. A meeting whose results are recorded stays (it is part of the record)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_held:
            raise ValidationError(_("The results of this meeting are recorded; it cannot be deleted."))
        with_history_user(meeting, by)
        meeting.delete()


def _meeting_assign(meeting: Meeting, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        field = Meeting._meta.get_field(name)
        if isinstance(value, str):
            value = field.to_python(value)  # the form the field stores (blocs.fields), to compare
        current = getattr(meeting, field.attname if field.is_relation else name)
        wanted = value.pk if field.is_relation and value is not None else value
        if current != wanted:
            setattr(meeting, name, value)
            changed = True
    return changed


def _meeting_save(meeting: Meeting, by: User | None) -> None:
    """Check and save the schedule: the database's rules in words, plus the ones spanning tables."""
    errors: dict[str, list[str]] = {}
    try:
        meeting.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if meeting.kind == Meeting.Kind.OTHER and not meeting.title:
        errors.setdefault("title", []).append(_("Give the meeting a title."))
    if meeting.end_time and meeting.start_time and meeting.end_time <= meeting.start_time:
        errors.setdefault("end_time", []).append(_("The meeting must end after it starts."))
    if meeting.host_unit_id and meeting.year:
        # The host is a member of the bloc: usually the chair of the year reviewed, or the next year's.
        hosts = meeting.bloc.memberships.filter(unit_id=meeting.host_unit_id)
        if not (hosts.covering(meeting.year).exists() or hosts.covering(meeting.year + 1).exists()):
            errors.setdefault("host_unit", []).append(
                _("%(unit)s is not a member of the bloc in %(year)s.")
                % {"unit": meeting.host_unit.name, "year": meeting.year}
            )
    if meeting.kind == Meeting.Kind.YEAR_END and meeting.year:
        clash = Meeting.objects.filter(bloc=meeting.bloc, year=meeting.year, kind=Meeting.Kind.YEAR_END)
        if clash.exclude(pk=meeting.pk).exists():
            errors.setdefault("year", []).append(
                _("%(bloc)s already has a year-end conference for %(year)s.")
                % {"bloc": meeting.bloc.name, "year": meeting.year}
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint: a lost race keeps the outer transaction usable
            with_history_user(meeting, by).save()
    except IntegrityError as error:
        raise ValidationError(
            {
                "year": [
                    _("%(bloc)s already has a year-end conference for %(year)s.")
                    % {"bloc": meeting.bloc.name, "year": meeting.year}
                ]
            }
        ) from error


def _guests_set(meeting: Meeting, guests: Sequence[GuestEntry], by: User | None) -> None:
    wanted = [(nfc_line(g.name), nfc_line(g.position), nfc_line(g.organisation)) for g in guests]
    errors = {}
    for index, (_name, _position, organisation) in enumerate(wanted):
        if not organisation:
            errors[f"guests-{index}-organisation"] = [_("Give the guest's organisation.")]
    if errors:
        raise ValidationError(errors)
    current = list(meeting.guests.order_by("order", "id"))
    if [(g.name, g.position, g.organisation) for g in current] == wanted:
        return  # nothing changed: no history entries
    for guest in current:
        with_history_user(guest, by).delete()
    for order, (name, position, organisation) in enumerate(wanted):
        with_history_user(
            MeetingGuest(meeting=meeting, order=order, name=name, position=position, organisation=organisation), by
        ).save()
