"""Pages of the meetings app. Thin: find the object, check permission (``blocs.access``), parse the form,
call a service, redirect with a message.

Who may do what (DESIGN section 3):
* read a meeting, its minutes (PDF, Word) and scans: ``access.can_read_bloc_year`` for the year the
  meeting reviews (officers of the council, that year's members, the year's seat holders);
* schedule, edit, record results, finalise and correct the minutes, upload scans, draft the news:
  ``access.can_manage_bloc_year`` for that year (officers, the chair and vice-chairs of the year);
* the overview of a year's meetings across the council: officers (``access.council_for_officer``).
A user who may not see the bloc at all gets 404; a known user without the right gets 403.
"""

from __future__ import annotations

import os
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from awards.models import AwardType
from blocs import access
from blocs.history import history_entries
from blocs.models import FIRST_YEAR, LAST_YEAR, Bloc, Seat
from blocs.web import bloc_year_span, int_or_none, paginate, year_param
from documents.render import file_name_safe
from pledges.models import PledgeVersion

from . import selectors, services
from .content import guest_words, meeting_facts
from .docx import minutes_docx
from .forms import (
    VICE_SEATS,
    AttendanceFormSet,
    AwardsHandedOverForm,
    BlocAwardFormSet,
    CorrectionForm,
    GuestFormSet,
    MeetingForm,
    ResultsForm,
    ScanUploadForm,
    VoteFormSet,
    _units,
    choices_from,
    choices_of,
)
from .models import Meeting, MeetingElection, MinutesScan, MinutesVersion
from .news import news_draft
from .printing import minutes_pdf_render, version_content, version_number_text

# Helpers -----------------------------------------------------------------------------------------------


def _meeting(user, pk: int) -> Meeting:
    """The meeting, or 404 to anyone who may not see its bloc at all."""
    meeting = get_object_or_404(Meeting.objects.select_related("bloc__council", "host_unit"), pk=pk)
    if not access.can_view_bloc(user, meeting.bloc):
        raise Http404
    return meeting


def _meeting_for_reading(user, pk: int) -> Meeting:
    meeting = _meeting(user, pk)
    if not access.can_read_bloc_year(user, meeting.bloc, meeting.year):
        raise PermissionDenied
    return meeting


def _meeting_for_managing(user, pk: int) -> Meeting:
    meeting = _meeting(user, pk)
    if not access.can_manage_bloc_year(user, meeting.bloc, meeting.year):
        raise PermissionDenied
    return meeting


def _version(meeting: Meeting, number: int) -> MinutesVersion:
    return get_object_or_404(
        MinutesVersion.objects.select_related("document", "minutes"), minutes__meeting=meeting, number=number
    )


def _attach(form, error_list, field: str) -> None:
    form.add_error(field if field in form.fields else None, error_list)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    """A service's error by field; an error of the whole thing under ``__all__``."""
    return error.message_dict if hasattr(error, "error_dict") else {services.NON_FIELD: error.messages}


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _file_stem(meeting: Meeting, version: MinutesVersion | None) -> str:
    suffix = f"-v{version.number}" if version and version.number > 1 else ""
    return file_name_safe(f"BB-{meeting.bloc.code}-{meeting.date:%Y%m%d}{suffix}")


# A bloc's meetings --------------------------------------------------------------------------------------


@require_safe
def bloc_meetings(request, pk: int):
    """The bloc's meetings, newest first, those of the years the user may read."""
    bloc = access.bloc_for_viewing(request.user, pk)
    meetings = [
        meeting
        for meeting in bloc.meetings.select_related("minutes")
        .annotate(final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final")))
        .order_by("-year", "-date")
        if access.can_read_bloc_year(request.user, bloc, meeting.year)
    ]
    # The year the user may schedule for: the current one, or last year (its conference is often held
    # early in the new year, as An Giang's of 02/02/2021 reviewing 2020).
    current = bloc.council.current_year
    schedule_year = next(
        (y for y in (current, current - 1) if access.can_manage_bloc_year(request.user, bloc, y)), None
    )
    return render(
        request,
        "meetings/bloc_meetings.html",
        {"bloc": bloc, "meetings": meetings, "schedule_year": schedule_year},
    )


# Scheduling ---------------------------------------------------------------------------------------------


def _guest_entries(formset) -> list[services.GuestEntry]:
    return [
        services.GuestEntry(
            name=form.cleaned_data.get("name", ""),
            position=form.cleaned_data.get("position", ""),
            organisation=form.cleaned_data.get("organisation", ""),
        )
        for form in formset
        if form.has_content() and not form.cleaned_data.get("DELETE")
    ]


def _attach_schedule_errors(form, guests, error: ValidationError) -> None:
    live = [f for f in guests if f.has_content() and not f.cleaned_data.get("DELETE")]
    for key, error_list in _error_dict(error).items():
        match = services.ROW_KEY.match(key)
        if match and match["prefix"] == "guests" and int(match["index"]) < len(live):
            _attach(live[int(match["index"])], error_list, match["field"])
        else:
            _attach(form, error_list, key)


def _year_allowed(form, user, bloc: Bloc) -> bool:
    """The year under review of a scheduled or edited meeting is one of the bloc's years
    (``blocs.web.bloc_year_span``) and one the user manages (DESIGN section 3): the chair or a vice-chair
    of 2021 cannot move a meeting into 2019, which it does not manage; an officer may move it to any of the
    bloc's years. The page itself was opened for a year the user manages; this checks the year sent."""
    year = form.cleaned_data["year"]
    first, last = bloc_year_span(bloc)
    if not first <= year <= last:
        form.add_error(
            "year",
            _("The year must be one of the years of %(bloc)s: from %(first)s to %(last)s.")
            % {"bloc": bloc.name, "first": first, "last": last},
        )
        return False
    if not access.can_manage_bloc_year(user, bloc, year):
        form.add_error(
            "year",
            _("You do not manage %(bloc)s in %(year)s: choose a year you manage, or ask the council's officers.")
            % {"bloc": bloc.name, "year": year},
        )
        return False
    return True


def meeting_schedule(request, pk: int):
    """Schedule a meeting of the bloc (the year's chair, vice-chairs or an officer)."""
    bloc = access.bloc_for_viewing(request.user, pk)
    default_year = year_param(request, bloc.council.current_year)
    if request.method == "POST":
        posted = int_or_none(request.POST.get("year"), minimum=FIRST_YEAR, maximum=LAST_YEAR)
        year = default_year if posted is None else posted
    else:
        year = default_year
    if not access.can_manage_bloc_year(request.user, bloc, year):
        raise PermissionDenied
    # No start time offered: a time nobody entered would print in the minutes (DESIGN 1a).
    initial = {"kind": request.GET.get("kind", Meeting.Kind.YEAR_END), "year": year}
    chair = Seat.objects.filter(bloc=bloc, year=year, rank=0).select_related("unit").first()
    if chair is not None:
        initial.update(
            host_unit=chair.unit.pk,
            presiding_name=chair.unit.head_name,
            presiding_title=" ".join(part for part in (chair.unit.head_title, chair.unit.name) if part),
        )
    form = MeetingForm(request.POST or None, bloc=bloc, initial=initial)
    guests = GuestFormSet(request.POST or None, prefix="guests")
    if request.method == "POST" and form.is_valid() and guests.is_valid() and _year_allowed(form, request.user, bloc):
        try:
            meeting = services.meeting_schedule(
                bloc=bloc, by=request.user, guests=_guest_entries(guests), **form.cleaned_data
            )
        except ValidationError as error:
            _attach_schedule_errors(form, guests, error)
        else:
            messages.success(request, _("The meeting was scheduled."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "bloc": bloc,
            "form": form,
            "guests": guests,
            "title": _("Schedule a meeting of %(bloc)s") % {"bloc": bloc.name},
        },
    )


def meeting_edit(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    initial = {name: getattr(meeting, name) for name in services.SCHEDULE_FIELDS}
    initial["host_unit"] = meeting.host_unit_id
    form = MeetingForm(request.POST or None, bloc=meeting.bloc, initial=initial)
    guests = GuestFormSet(
        request.POST or None,
        prefix="guests",
        initial=[
            {"name": g.name, "position": g.position, "organisation": g.organisation} for g in meeting.guests.all()
        ],
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and guests.is_valid()
        and (form.cleaned_data["year"] == meeting.year or _year_allowed(form, request.user, meeting.bloc))
    ):
        try:
            services.meeting_update(
                meeting=meeting, by=request.user, guests=_guest_entries(guests), **form.cleaned_data
            )
        except ValidationError as error:
            _attach_schedule_errors(form, guests, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "bloc": meeting.bloc,
            "meeting": meeting,
            "form": form,
            "guests": guests,
            "title": _("Edit %(meeting)s") % {"meeting": meeting.display_title},
            "history": history_entries(meeting)
            if access.is_officer_of(request.user, meeting.bloc.council_id)
            else None,
        },
    )


@require_POST
def meeting_delete(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    bloc = meeting.bloc
    try:
        services.meeting_delete(meeting=meeting, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect(meeting)
    messages.success(request, _("The meeting was cancelled."))
    return redirect("meetings:bloc_meetings", pk=bloc.pk)


# The meeting page ---------------------------------------------------------------------------------------


@require_safe
def meeting_detail(request, pk: int):
    """What the meeting is and what it recorded, the minutes' versions and scans, and the actions."""
    meeting = _meeting_for_reading(request.user, pk)
    facts = meeting_facts(meeting)
    versions = list(
        MinutesVersion.objects.filter(minutes__meeting=meeting)
        .select_related("document", "finalised_by", "created_by")
        .prefetch_related(Prefetch("scans", queryset=MinutesScan.objects.select_related("uploaded_by")))
        .order_by("-number")
    )
    current = versions[0] if versions else None
    can_manage = access.can_manage_bloc_year(request.user, meeting.bloc, meeting.year)
    is_officer = access.is_officer_of(request.user, meeting.bloc.council_id)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "bloc": meeting.bloc,
            "facts": facts,
            "guests": [guest_words(*guest) for guest in facts.guests],
            "versions": versions,
            "current": current,
            "can_manage": can_manage,
            "can_record": can_manage and not (current and current.is_final),
            "history": history_entries(meeting) if is_officer else None,
            "today": timezone.localdate(),
        },
    )


# Recording the results ----------------------------------------------------------------------------------


# The results page's sections: a section is written only if one of its fields changed (DESIGN 1a).
_MAIN_SECTIONS = {
    "attendance_state": "attendance",
    "flag_received_by": "handover",
    "report_summary": "report",
    "directions": "report",
    "all_units_completed": "report",
}
_MAIN_PREFIXES = {"election_": "election", "handover_": "handover", "pledge_": "pledge", "movement_": "movement"}


def _main_section(name: str) -> str:
    if name in _MAIN_SECTIONS:
        return _MAIN_SECTIONS[name]
    return next((section for prefix, section in _MAIN_PREFIXES.items() if name.startswith(prefix)), "report")


def _election_fields(main) -> list[str]:
    return [name for name in main.fields if _main_section(name) == "election"]


def _results_forms(data, meeting: Meeting, initial: selectors.ResultsInitial, next_year: int):
    bloc = meeting.bloc
    award_types = AwardType.objects.filter(council=bloc.council, active=True).order_by("order", "id")
    units = _units(bloc, [meeting.year])
    # Every row offers the same award types and units: read them once for the whole page.
    unit_choices = choices_of(units)
    types = list(award_types)
    vote_types = award_types.exclude(authority=AwardType.Authority.BLOC)
    own_types = award_types.filter(authority=AwardType.Authority.BLOC)
    main = ResultsForm(
        data, bloc=bloc, year=meeting.year, next_year=next_year, initial=initial.main, year_choices=unit_choices
    )
    attendance = AttendanceFormSet(data, prefix="attendance", initial=initial.attendance, form_kwargs={"units": units})
    # The unit names shown next to each row (the unit itself is a hidden field).
    names = {row["unit"]: row["unit_name"] for row in initial.attendance}
    for form in attendance:
        unit_id = form.initial.get("unit") or form.data.get(form.add_prefix("unit"))
        try:
            form.unit_name = names.get(int(unit_id), "")
        except (TypeError, ValueError):
            form.unit_name = ""
    votes = VoteFormSet(
        data,
        prefix="votes",
        initial=initial.votes,
        form_kwargs={
            "award_types": vote_types,
            "units": units,
            "choices": {"award_type": choices_from(t for t in types if not t.is_bloc_issued), "unit": unit_choices},
        },
    )
    awards = BlocAwardFormSet(
        data,
        prefix="awards",
        initial=initial.awards,
        form_kwargs={
            "award_types": own_types,
            "units": units,
            "choices": {"award_type": choices_from(t for t in types if t.is_bloc_issued), "unit": unit_choices},
        },
    )
    return main, attendance, votes, awards


def _live(formset) -> list:
    return [form for form in formset if form.has_content() and not form.cleaned_data.get("DELETE")]


def _touched(main, attendance, votes, awards, initial: selectors.ResultsInitial) -> set[str]:
    """The sections the user changed. Rows offered from drafted proposals are not recorded yet, so saving
    them as shown enters them."""
    touched = {_main_section(name) for name in main.changed_data}
    if attendance.has_changed():
        touched.add("attendance")
    if votes.has_changed() or (not initial.votes_recorded and _live(votes)):
        touched.add("votes")
    if awards.has_changed() or (not initial.awards_recorded and _live(awards)):
        touched.add("awards")
    return touched


def _elected(main) -> list:
    """The chair, then the vice-chairs in order, as typed (gaps closed up)."""
    data = main.cleaned_data
    units = [data.get("election_chair"), *(data.get(f"election_vice_{rank}") for rank in range(1, VICE_SEATS + 1))]
    return [unit for unit in units if unit is not None]


def _results_call(request, meeting: Meeting, main, attendance, votes, awards, next_year: int, touched: set[str]):
    """The service call; a section not in ``touched`` is passed as None and stays as recorded."""
    data = main.cleaned_data
    election = None
    if "election" in touched:
        ranks = range(1, VICE_SEATS + 1)
        vices = [(data.get(f"election_vice_{r}"), data.get(f"election_vice_{r}_votes")) for r in ranks]
        vices = [(unit, votes) for unit, votes in vices if unit is not None]
        election = services.ElectionEntry(
            chair=data.get("election_chair"),
            vice_chairs=[unit for unit, _votes in vices],
            year=next_year,
            method=data.get("election_method") or MeetingElection.Method.NOT_RECORDED,
            ballots=data.get("election_ballots"),
            votes=[data.get("election_chair_votes"), *(votes for _unit, votes in vices)],  # aligned with the seats
        )
    handover = None
    if "handover" in touched:
        recorded = bool(data.get("handover_recorded"))
        handover = services.HandoverEntry(
            outgoing=data.get("handover_outgoing") if recorded else None,
            incoming=data.get("handover_incoming") if recorded else None,
            flag_handed=recorded and bool(data.get("handover_flag")),
            flag_received_by=data.get("flag_received_by", "") if recorded else "",
        )
    pledge_signing = None
    if "pledge" in touched:
        pledge_signing = services.PledgeSigningEntry(year=data["pledge_year"] if data.get("pledge_signed") else None)
    services.meeting_record_results(
        meeting=meeting,
        attendance=[
            services.AttendanceEntry(
                unit=form.cleaned_data["unit"],
                present=bool(form.cleaned_data.get("present")),
                representatives=form.cleaned_data.get("representatives", ""),
            )
            for form in attendance
        ]
        if "attendance" in touched
        else None,
        attendance_state=data["attendance_state"] if "attendance" in touched else meeting.attendance_state,
        report_summary=data.get("report_summary", "") if "report" in touched else None,
        directions=data.get("directions", "") if "report" in touched else None,
        all_units_completed=(
            bool(data.get("all_units_completed")) if "report" in touched else meeting.all_units_completed
        ),
        votes=[
            services.VoteEntry(
                **{
                    name: form.cleaned_data.get(name)
                    for name in ("award_type", "unit", "members_present", "ballots_cast", "votes_for")
                },
                collective_name=form.cleaned_data.get("collective_name", ""),
                person_name=form.cleaned_data.get("person_name", ""),
                person_position=form.cleaned_data.get("person_position", ""),
                acclamation=bool(form.cleaned_data.get("acclamation")),
            )
            for form in _live(votes)
        ]
        if "votes" in touched
        else None,
        bloc_awards=[
            services.BlocAwardEntry(
                award_type=form.cleaned_data["award_type"],
                unit=form.cleaned_data.get("unit"),
                collective_name=form.cleaned_data.get("collective_name", ""),
                person_name=form.cleaned_data.get("person_name", ""),
                person_position=form.cleaned_data.get("person_position", ""),
            )
            for form in _live(awards)
        ]
        if "awards" in touched
        else None,
        election=election,
        handover=handover,
        pledge_signing=pledge_signing,
        movement=services.MovementEntry(
            launched=bool(data.get("movement_launched")), text=data.get("movement_text", "")
        )
        if "movement" in touched
        else None,
        by=request.user,
    )


def _attach_results_errors(error: ValidationError, main, attendance, votes, awards) -> dict[str, list[str]]:
    """Each error of the service next to its field: ``votes-2-votes_for`` on the third live vote row,
    ``election_chair`` on the main form …; errors of a whole section are returned for the page."""
    rows = {"attendance": list(attendance), "votes": _live(votes), "awards": _live(awards)}
    sections: dict[str, list[str]] = defaultdict(list)
    for key, error_list in _error_dict(error).items():
        match = services.ROW_KEY.match(key)
        if match and match["prefix"] in rows and int(match["index"]) < len(rows[match["prefix"]]):
            _attach(rows[match["prefix"]][int(match["index"])], error_list, match["field"])
        elif key in rows:
            sections[key].extend(error_list)
        elif key in main.fields:
            main.add_error(key, error_list)
        elif key == "pledge_signed":
            main.add_error("pledge_signed", error_list)
        else:
            main.add_error(None, error_list)
    return dict(sections)


def _with_suggestion(data, suggestion) -> object:
    """The posted page with the election fields set to the rotation suggestion ("Dùng gợi ý" without
    JavaScript): shown in the fields, saved only when the user then saves."""
    data = data.copy()
    data["election_chair"] = str(suggestion.chair.pk) if suggestion.chair else ""
    for rank in range(1, VICE_SEATS + 1):
        unit = suggestion.vice_chairs[rank - 1] if rank <= len(suggestion.vice_chairs) else None
        data[f"election_vice_{rank}"] = str(unit.pk) if unit else ""
    return data


def meeting_results(request, pk: int):
    """The one page a chair fills after the conference; saved in one transaction, or not at all.

    It starts from the record (``selectors.results_initial``); the rotation suggestion is offered beside
    the election. Only the sections the user changed are written. A save that changes next year's recorded
    seats first shows the change and waits for the user to confirm it; who may write those seats is
    ``access.seat_write_refusal`` (the others see them read-only, and the election is not submitted).
    """
    meeting = _meeting_for_managing(request.user, pk)
    current = services.minutes_current(meeting)
    locked = current is not None and current.is_final
    next_year = meeting.year + 1
    bloc = meeting.bloc
    initial = selectors.results_initial(meeting=meeting, next_year=next_year)
    suggestion = initial.suggestion
    seat_refusal = access.seat_write_refusal(request.user, bloc, next_year)
    data = request.POST if request.method == "POST" else None
    use_suggestion = data is not None and "use_suggestion" in data and seat_refusal is None
    if use_suggestion:
        data = _with_suggestion(data, suggestion)
    main, attendance, votes, awards = _results_forms(data, meeting, initial, next_year)
    if seat_refusal is not None:
        for name in _election_fields(main):
            main.fields[name].disabled = True  # shown as recorded; a disabled field is never changed
    sections: dict[str, list[str]] = {}
    seat_changes: list = []
    confirm_token = ""
    if data is not None and use_suggestion:
        messages.info(request, _("The suggestion is in the election fields. Nothing is saved until you save."))
    elif data is not None:
        if locked:
            messages.error(
                request, _("The minutes are final. Start a correction, with its reason, before changing the results.")
            )
            return redirect(meeting)
        if all(part.is_valid() for part in (main, attendance, votes, awards)):
            touched = _touched(main, attendance, votes, awards, initial)
            if "election" in touched:
                wanted = _elected(main)
                seat_changes = selectors.seat_changes(bloc=bloc, year=next_year, wanted=wanted)
                if seat_changes:
                    confirm_token = selectors.seat_changes_token(year=next_year, changes=seat_changes, wanted=wanted)
            if seat_changes and data.get("confirm_seats") != confirm_token:
                messages.warning(
                    request,
                    _(
                        "Nothing was saved yet: the election changes seats already recorded. Check the change, then "
                        "confirm it."
                    ),
                )
            else:
                try:
                    _results_call(request, meeting, main, attendance, votes, awards, next_year, touched)
                except ValidationError as error:
                    sections = _attach_results_errors(error, main, attendance, votes, awards)
                    messages.error(request, _("Nothing was saved: please correct the errors shown below."))
                else:
                    messages.success(request, _("The results of the meeting were saved."))
                    return redirect(meeting)
        else:
            messages.error(request, _("Nothing was saved: please correct the errors shown below."))
    return render(
        request,
        "meetings/meeting_results.html",
        {
            "meeting": meeting,
            "bloc": bloc,
            "main": main,
            "attendance": attendance,
            "votes": votes,
            "awards": awards,
            "suggestion": suggestion,
            "suggested_seats": [
                (bloc.seat_label(rank, len(suggestion.vice_chairs)), unit)
                for rank, unit in enumerate([suggestion.chair, *suggestion.vice_chairs])
                if unit is not None
            ],
            "next_year": next_year,
            "locked": locked,
            "sections": sections,
            "seat_words": _seat_words(bloc),
            "recorded_seats": [
                (bloc.seat_label(seat.rank, len(initial.seats) - 1), seat.unit) for seat in initial.seats
            ],
            "seat_refusal": seat_refusal,
            "seat_changes": seat_changes,
            "confirm_token": confirm_token,
            **_next_pledge(request.user, bloc, next_year),
        },
    )


def meeting_awards_handed_over(request, pk: int):
    """Trao khen thưởng: the chair or an officer ticks which of the council's decided awards were handed
    over at the conference; the minutes list them apart from the proposals voted. Who may: those who record
    the results (``access.can_manage_bloc_year``); final minutes change only after a correction."""
    meeting = _meeting_for_managing(request.user, pk)
    current = services.minutes_current(meeting)
    locked = current is not None and current.is_final
    choices = selectors.awards_to_hand_over(meeting=meeting)
    recorded = selectors.awards_handed_over(meeting=meeting)
    form = AwardsHandedOverForm(
        request.POST if request.method == "POST" else None, choices=choices, initial={"proposals": recorded}
    )
    if request.method == "POST" and form.is_valid():
        chosen = {proposal.pk: proposal for proposal in form.cleaned_data["proposals"]}
        # Those already recorded keep their place; the newly ticked follow in the list's order.
        ordered = [chosen.pop(pk) for pk in recorded if pk in chosen] + list(chosen.values())
        try:
            services.meeting_awards_handed_over_set(meeting=meeting, proposals=ordered, by=request.user)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("The awards handed over at the meeting were saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/awards_handed_over.html",
        {"meeting": meeting, "bloc": meeting.bloc, "form": form, "locked": locked},
    )


def _next_pledge(user, bloc: Bloc, next_year: int) -> dict:
    """What the results page offers for next year's pledge: create it, draft it, or open it — on the
    pledges pages — when ``access.prepare_year_refusal`` lets the viewer; otherwise the reason why."""
    current = (
        PledgeVersion.objects.filter(pledge__bloc=bloc, pledge__year=next_year)
        .select_related("pledge")
        .order_by("-number")
        .first()
    )
    refusal = access.prepare_year_refusal(user, bloc, next_year)
    return {
        "next_pledge": current.pledge if current else None,
        "next_pledge_drafting": bool(current and current.is_drafting),
        "next_pledge_refusal": refusal,
        # Whoever may prepare the year reads it; the others are told why, with the link if they read it.
        "next_pledge_readable": refusal is None or access.can_read_bloc_year(user, bloc, next_year),
    }


def _seat_words(bloc: Bloc) -> dict:
    return {"chair": bloc.seat_label(0), "vice": bloc.seat_label(1)}


# Minutes ------------------------------------------------------------------------------------------------


@require_safe
@transaction.non_atomic_requests  # a render can take a second, and the first download issues the number
def minutes_pdf(request, pk: int, number: int):
    """A version's PDF: a final version's issued PDF (numbered on its first download if need be); a
    draft's preview, marked "DỰ THẢO", numbered "…/BB-…"."""
    meeting = _meeting_for_reading(request.user, pk)
    version = _version(meeting, number)
    if version.is_final:
        try:
            document = services.minutes_pdf_issue(version=version, by=request.user)
        except services.MinutesPdfUnavailable as error:
            messages.error(request, _("The PDF of the minutes could not be made: %(error)s") % {"error": error})
            return redirect(meeting)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return FileResponse(handle, content_type="application/pdf", filename=f"{_file_stem(meeting, version)}.pdf")
    content = version_content(version, meeting)
    try:
        pdf = minutes_pdf_render(content=content, number_text=version_number_text(version, content), draft=True)
    except Exception as error:  # the record is untouched; say what failed
        messages.error(request, _("The PDF of the minutes could not be made: %(error)s") % {"error": error})
        return redirect(meeting)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_stem(meeting, version)}-du-thao.pdf"'
    return response


@require_safe
@transaction.non_atomic_requests
def minutes_word(request, pk: int, number: int):
    """A version as an editable Word document, with the same content as its PDF."""
    meeting = _meeting_for_reading(request.user, pk)
    version = _version(meeting, number)
    if version.is_final and not version.document_id:
        # The Word copy of final minutes carries their number: issue it first (as the PDF's download would).
        try:
            services.minutes_pdf_issue(version=version, by=request.user)
        except services.MinutesPdfUnavailable:
            pass  # the Word copy says "…/BB-…" until the PDF can be made; the meeting page says why
    content = version_content(version, meeting)
    try:
        data = minutes_docx(content=content, number_text=version_number_text(version, content), draft=version.is_draft)
    except Exception as error:  # the record is untouched; say what failed
        messages.error(request, _("The Word document could not be made: %(error)s") % {"error": error})
        return redirect(meeting)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    suffix = "-du-thao" if version.is_draft else ""
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(meeting, version)}{suffix}.docx"'
    return response


@require_POST
@transaction.non_atomic_requests  # finalisation commits first; the number and PDF follow (on_commit)
def minutes_finalise(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    try:
        version = services.minutes_finalise(meeting=meeting, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect(meeting)
    version.refresh_from_db()
    if version.document_id:
        messages.success(
            request, _("The minutes are final: No. %(number)s.") % {"number": version.document.number_text}
        )
    else:
        messages.warning(
            request,
            _("The minutes are final, but their PDF could not be made: %(error)s. You can try again below.")
            % {"error": version.pdf_error or _("unknown error")},
        )
    return redirect(meeting)


@require_POST
@transaction.non_atomic_requests
def minutes_pdf_retry(request, pk: int, number: int):
    meeting = _meeting_for_managing(request.user, pk)
    version = _version(meeting, number)
    try:
        document = services.minutes_pdf_issue(version=version, by=request.user)
    except services.MinutesPdfUnavailable as error:
        messages.error(request, _("The PDF of the minutes could not be made: %(error)s") % {"error": error})
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request, _("The PDF of the minutes was made: No. %(number)s.") % {"number": document.number_text}
        )
    return redirect(meeting)


def minutes_correction(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.minutes_correction_start(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _attach(form, error.messages, "reason" if hasattr(error, "error_dict") else None)
        else:
            messages.success(
                request,
                _("Version %(number)s of the minutes was started. Change the results, then finalise it.")
                % {"number": version.number},
            )
            return redirect("meetings:meeting_results", pk=meeting.pk)
    return render(request, "meetings/minutes_correction.html", {"meeting": meeting, "bloc": meeting.bloc, "form": form})


def minutes_scan_upload(request, pk: int, number: int):
    meeting = _meeting_for_managing(request.user, pk)
    version = _version(meeting, number)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_scan_upload(version=version, file=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            _attach(
                form,
                error.message_dict.get("file", error.messages) if hasattr(error, "error_dict") else error.messages,
                "file",
            )
        else:
            messages.success(request, _("The scan of the signed minutes was uploaded."))
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_scan.html",
        {
            "meeting": meeting,
            "bloc": meeting.bloc,
            "version": version,
            "form": form,
            "limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        },
    )


@require_safe
def minutes_scan_download(request, pk: int):
    scan = get_object_or_404(MinutesScan.objects.select_related("version__minutes"), pk=pk)
    meeting = _meeting_for_reading(request.user, scan.version.minutes.meeting_id)
    try:
        handle = scan.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = os.path.splitext(scan.file.name)[1] or ".pdf"
    filename = f"{_file_stem(meeting, scan.version)}-scan{extension}"
    return FileResponse(handle, content_type=_content_type(scan.kind), filename=filename)


def _content_type(kind: str) -> str:
    return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}.get(kind, "application/octet-stream")


# News draft ---------------------------------------------------------------------------------------------


@require_safe
def meeting_news(request, pk: int):
    """A news article drafted from the record with a fixed template; the chair edits it and copies it."""
    meeting = _meeting_for_managing(request.user, pk)
    draft = news_draft(meeting_facts(meeting))
    return render(request, "meetings/meeting_news.html", {"meeting": meeting, "bloc": meeting.bloc, "draft": draft})


# Officers' overview -------------------------------------------------------------------------------------


@require_safe
def meetings_overview(request):
    """All meetings of a year across the officer's council, and the blocs that have not yet held (recorded)
    their year-end conference. A fixed number of queries, paginated."""
    council = access.council_for_officer(request.user)
    year = year_param(request, council.current_year)
    meetings = (
        Meeting.objects.filter(bloc__council=council, year=year)
        .select_related("bloc", "host_unit")
        .annotate(
            final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final"), distinct=True),
            present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        )
        .order_by("date", "start_time", "bloc__sort_name")
    )
    page = paginate(request, meetings)
    held = Meeting.objects.filter(
        bloc__council=council, year=year, kind=Meeting.Kind.YEAR_END, status=Meeting.Status.HELD
    )
    missing = list(
        Bloc.objects.filter(council=council, active=True)
        .exclude(pk__in=held.values("bloc_id"))
        .order_by("kind", "sort_name")
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(year=year, kind=Meeting.Kind.YEAR_END),
                to_attr="year_end_meetings",
            )
        )
    )
    total = Bloc.objects.filter(council=council, active=True).count()
    return render(
        request,
        "meetings/overview.html",
        {
            "council": council,
            "year": year,
            "page": page,
            "missing": missing,
            "total": total,
            "years": range(year - 3, year + 2),
        },
    )
