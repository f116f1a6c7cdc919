"""The results page (one page, one transaction: ``services.meeting_record_results``) and the awards handed
over at the conference."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.models import AwardType
from blocs import access
from blocs.models import Bloc, Unit
from blocs.web import errors_to_messages
from pledges.models import PledgeVersion

from .. import selectors, services
from ..forms import (
    VICE_SEATS,
    AttendanceFormSet,
    AwardsHandedOverForm,
    BlocAwardFormSet,
    ResultsForm,
    VoteFormSet,
    _units,
    choices_from,
)
from ..models import Meeting, MeetingElection
from ._common import (
    _attach,
    _error_dict,
    _meeting_for_managing,
)

# Recording the results ----------------------------------------------------------------------------------


# The results page's sections: a section is written only if one of its fields changed, so
# saving one section never records what another merely showed.
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
    # Every row offers the same award types and units: read them once for the whole page. The units are
    # the year's members the initial values already read, in the select's order (by name); the queryset
    # stays for validation.
    unit_choices = choices_from(sorted(initial.members, key=lambda unit: (unit.sort_name, unit.pk)))
    members = {unit.pk: unit for unit in initial.members}
    types = list(award_types)
    vote_types = award_types.exclude(authority=AwardType.Authority.BLOC)
    own_types = award_types.filter(authority=AwardType.Authority.BLOC)
    # The election's selects: next year's members, which the rotation suggestion has already read.
    next_choices = choices_from(sorted(initial.suggestion.members, key=lambda unit: (unit.sort_name, unit.pk)))
    main = ResultsForm(
        data,
        bloc=bloc,
        year=meeting.year,
        next_year=next_year,
        initial=initial.main,
        year_choices=unit_choices,
        next_year_choices=next_choices,
    )
    attendance = AttendanceFormSet(
        data, prefix="attendance", initial=initial.attendance, form_kwargs={"units": units, "known": {"unit": members}}
    )
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
            "known": {"award_type": {t.pk: t for t in types if not t.is_bloc_issued}, "unit": members},
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
            "known": {"award_type": {t.pk: t for t in types if t.is_bloc_issued}, "unit": members},
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


def _election_entry(data: dict, next_year: int) -> services.ElectionEntry:
    ranks = range(1, VICE_SEATS + 1)
    typed: list[tuple[Unit | None, int | None]] = [
        (data.get(f"election_vice_{r}"), data.get(f"election_vice_{r}_votes")) for r in ranks
    ]
    vices = [(unit, votes) for unit, votes in typed if unit is not None]
    return services.ElectionEntry(
        chair=data.get("election_chair"),
        vice_chairs=[unit for unit, _votes in vices],
        year=next_year,
        method=data.get("election_method") or MeetingElection.Method.NOT_RECORDED,
        ballots=data.get("election_ballots"),
        votes=[data.get("election_chair_votes"), *(votes for _unit, votes in vices)],  # aligned with the seats
    )


def _handover_entry(data: dict) -> services.HandoverEntry:
    recorded = bool(data.get("handover_recorded"))
    return services.HandoverEntry(
        outgoing=data.get("handover_outgoing") if recorded else None,
        incoming=data.get("handover_incoming") if recorded else None,
        flag_handed=recorded and bool(data.get("handover_flag")),
        flag_received_by=data.get("flag_received_by", "") if recorded else "",
    )


def _recipient_fields(form) -> dict:
    return {name: form.cleaned_data.get(name, "") for name in ("collective_name", "person_name", "person_position")}


def _attendance_entries(attendance) -> list[services.AttendanceEntry]:
    return [
        services.AttendanceEntry(
            unit=form.cleaned_data["unit"],
            present=bool(form.cleaned_data.get("present")),
            representatives=form.cleaned_data.get("representatives", ""),
        )
        for form in attendance
    ]


def _vote_entries(votes) -> list[services.VoteEntry]:
    counts = ("award_type", "unit", "members_present", "ballots_cast", "votes_for")
    return [
        services.VoteEntry(
            **{name: form.cleaned_data.get(name) for name in counts},
            **_recipient_fields(form),
            acclamation=bool(form.cleaned_data.get("acclamation")),
        )
        for form in _live(votes)
    ]


def _bloc_award_entries(awards) -> list[services.BlocAwardEntry]:
    return [
        services.BlocAwardEntry(
            award_type=form.cleaned_data["award_type"], unit=form.cleaned_data.get("unit"), **_recipient_fields(form)
        )
        for form in _live(awards)
    ]


def _results_call(request, meeting: Meeting, main, attendance, votes, awards, next_year: int, touched: set[str]):
    """The service call; a section not in ``touched`` is passed as None and stays as recorded."""
    data = main.cleaned_data
    report = "report" in touched
    services.meeting_record_results(
        meeting=meeting,
        attendance=_attendance_entries(attendance) if "attendance" in touched else None,
        attendance_state=data["attendance_state"] if "attendance" in touched else meeting.attendance_state,
        report_summary=data.get("report_summary", "") if report else None,
        directions=data.get("directions", "") if report else None,
        all_units_completed=bool(data.get("all_units_completed")) if report else meeting.all_units_completed,
        votes=_vote_entries(votes) if "votes" in touched else None,
        bloc_awards=_bloc_award_entries(awards) if "awards" in touched else None,
        election=_election_entry(data, next_year) if "election" in touched else None,
        handover=_handover_entry(data) if "handover" in touched else None,
        pledge_signing=services.PledgeSigningEntry(year=data["pledge_year"] if data.get("pledge_signed") else None)
        if "pledge" in touched
        else None,
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


def _results_save(request, meeting: Meeting, forms: tuple, initial, next_year: int, page: dict) -> bool:
    """Check the page and save it; True once saved. Otherwise ``page`` says why: the errors of a section,
    or the change of recorded seats waiting to be confirmed."""
    main, attendance, votes, awards = forms
    if not all(part.is_valid() for part in forms):
        messages.error(request, _("Nothing was saved: please correct the errors shown below."))
        return False
    touched = _touched(main, attendance, votes, awards, initial)
    if "election" in touched:
        wanted = _elected(main)
        changes = selectors.seat_changes(bloc=meeting.bloc, year=next_year, wanted=wanted)
        if changes:
            page["seat_changes"] = changes
            page["confirm_token"] = selectors.seat_changes_token(year=next_year, changes=changes, wanted=wanted)
    if page["seat_changes"] and request.POST.get("confirm_seats") != page["confirm_token"]:
        messages.warning(
            request,
            _("Nothing was saved yet: the election changes seats already recorded. Check the change, then confirm it."),
        )
        return False
    try:
        _results_call(request, meeting, main, attendance, votes, awards, next_year, touched)
    except ValidationError as error:
        page["sections"] = _attach_results_errors(error, main, attendance, votes, awards)
        messages.error(request, _("Nothing was saved: please correct the errors shown below."))
        return False
    return True


def meeting_results(request, pk: int):
    """The one page a chair fills after the conference; saved in one transaction, or not at all.

    It starts from the record (``selectors.results_initial``); the rotation suggestion is offered beside
    the election. Only the sections the user changed are written. A save that changes next year's recorded
    seats first shows the change and waits for the user to confirm it; who may write those seats is
    ``access.seat_write_refusal`` (the others see them read-only, and the election is not submitted).
    """
    meeting = _meeting_for_managing(request.user, pk, related=selectors.RESULTS_RELATED)
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
    ranks = initial.ranks
    assert ranks is not None  # results_initial reads the ranks with the members
    for form in votes:
        form.rank_cell = ranks.of(
            form["unit"].value(),
            collective_name=form["collective_name"].value(),
            person=form["person_name"].value(),
        )
    if seat_refusal is not None:
        for name in _election_fields(main):
            main.fields[name].disabled = True  # shown as recorded; a disabled field is never changed
    page = {"sections": {}, "seat_changes": [], "confirm_token": ""}
    if data is not None and use_suggestion:
        messages.info(request, _("The suggestion is in the election fields. Nothing is saved until you save."))
    elif data is not None:
        if locked:
            messages.error(
                request, _("The minutes are final. Start a correction, with its reason, before changing the results.")
            )
            return redirect(meeting)
        if _results_save(request, meeting, (main, attendance, votes, awards), initial, next_year, page):
            messages.success(request, _("The results of the meeting were saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_results.html",
        {
            "meeting": meeting,
            "bloc": bloc,
            "main": main,
            "attendance": attendance,
            "votes": votes,
            "ranks": ranks,
            "awards": awards,
            "suggestion": suggestion,
            "suggested_seats": [
                (bloc.seat_label(rank, len(suggestion.vice_chairs)), unit)
                for rank, unit in enumerate([suggestion.chair, *suggestion.vice_chairs])
                if unit is not None
            ],
            "next_year": next_year,
            "locked": locked,
            **page,
            "recorded_seats": [
                (bloc.seat_label(seat.rank, len(initial.seats) - 1), seat.unit) for seat in initial.seats
            ],
            "seat_refusal": seat_refusal,
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
            errors_to_messages(request, error)
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
