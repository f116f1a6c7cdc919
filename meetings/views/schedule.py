"""The pages of a bloc's meetings: the list, scheduling and editing a meeting, the meeting page, the news
draft and the officers' overview of a year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access
from blocs.history import history_entries
from blocs.models import FIRST_YEAR, LAST_YEAR, Bloc, Seat
from blocs.web import (
    Confirmation,
    bloc_year_span,
    confirm_page,
    confirmed,
    errors_to_messages,
    int_or_none,
    paginate,
    sorting,
    year_param,
)

from .. import selectors, services
from ..content import guest_words, meeting_facts
from ..forms import (
    GuestFormSet,
    MeetingForm,
)
from ..models import Meeting, MinutesScan, MinutesVersion
from ..news import news_draft
from ._common import (
    _attach,
    _error_dict,
    _meeting_for_managing,
    _meeting_for_reading,
)

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
    (``blocs.web.bloc_year_span``) and one the user manages (docs/domain.md, who may do what): the chair or a vice-chair
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
    # No start time offered: a time nobody entered would print in the minutes.
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


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_delete(request, pk: int):
    """Cancel a meeting, after its confirmation page (``blocs.web.confirm_page``) says which one."""
    meeting = _meeting_for_managing(request.user, pk)
    bloc = meeting.bloc
    if not confirmed(request):
        words = {"meeting": meeting.display_title, "date": f"{meeting.date:%d/%m/%Y}", "bloc": bloc.name}
        return confirm_page(
            request,
            Confirmation(
                title=_("Cancel the meeting?"),
                consequences=[
                    _("The meeting “%(meeting)s” of %(bloc)s on %(date)s will be cancelled.") % words,
                    _("It is removed from the schedule with its guests and agenda, and cannot be restored."),
                ],
                back_url=meeting.get_absolute_url(),
            ),
        )
    try:
        services.meeting_delete(meeting=meeting, by=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
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
    ranks, vote_rows = None, []
    if facts.votes:
        # Each vote beside its unit's rank in the final ranking of the year reviewed (in the minutes' order).
        ranks, cells = selectors.recorded_vote_ranks(meeting=meeting)
        vote_rows = list(zip(facts.votes, cells, strict=False))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "bloc": meeting.bloc,
            "facts": facts,
            "ranks": ranks,
            "vote_rows": vote_rows,
            "guests": [guest_words(*guest) for guest in facts.guests],
            "versions": versions,
            "current": current,
            "can_manage": can_manage,
            "can_record": can_manage and not (current and current.is_final),
            "history": history_entries(meeting) if is_officer else None,
            "today": timezone.localdate(),
        },
    )


# News draft ---------------------------------------------------------------------------------------------


@require_safe
def meeting_news(request, pk: int):
    """A news article drafted from the record with a fixed template; the chair edits it and copies it."""
    meeting = _meeting_for_managing(request.user, pk)
    draft = news_draft(meeting_facts(meeting))
    return render(request, "meetings/meeting_news.html", {"meeting": meeting, "bloc": meeting.bloc, "draft": draft})


# Officers' overview -------------------------------------------------------------------------------------


OVERVIEW_SORTS = {
    "date": ("date", "start_time", "bloc__sort_name"),
    "bloc": ("bloc__sort_name", "date", "start_time"),
    "meeting": ("kind", "title", "date"),
    "status": ("status", "date", "start_time"),
    "present": ("present_count", "date"),
    "minutes": ("final_versions", "date"),
}


@require_safe
def meetings_overview(request):
    """All meetings of a year across the officer's council, and the blocs that have not yet held (recorded)
    their year-end conference. A fixed number of queries, paginated."""
    council = access.council_for_officer(request.user)
    year = year_param(request, council.current_year)
    order = sorting(request, OVERVIEW_SORTS, default="date")
    meetings = (
        Meeting.objects.filter(bloc__council=council, year=year)
        .select_related("bloc", "host_unit")
        .annotate(
            final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final"), distinct=True),
            present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        )
        .order_by(*order.order_by)
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
            "sorting": order,
            "missing": missing,
            "total": total,
            "years": range(year - 3, year + 2),
        },
    )
