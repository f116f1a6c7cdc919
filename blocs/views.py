"""Pages of the base app. Views stay thin: parse, check permission (blocs.access), call a service, redirect."""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import access, first_run, registry, services
from . import todo as todo_items
from .forms import BlocForm, CouncilSettingsForm, MembershipAddForm, MembershipForm, MergeForm, SeatsForm, UnitForm
from .history import history_entries
from .models import Bloc, BlocQuerySet, Membership, Seat, SeatWrite, Unit
from .reporting import council_year_span
from .text import search_words
from .web import (
    Confirmation,
    attach_errors,
    bloc_year_or_404,
    confirm_page,
    confirmed,
    form_attempt,
    form_save,
    paginate,
    sorting,
    year_param,
)


def _default_year(user) -> int:
    if user.council_id:
        return user.council.current_year
    council = access.council_for_officer(user) if access.is_officer(user) else None
    return council.current_year if council else timezone.localdate().year


def _seats_by_bloc(bloc_ids, year: int) -> dict[int, list[Seat]]:
    seats: dict[int, list[Seat]] = defaultdict(list)
    for seat in Seat.objects.filter(bloc_id__in=bloc_ids, year=year).select_related("unit").order_by("rank"):
        seats[seat.bloc_id].append(seat)
    return seats


# Home ------------------------------------------------------------------------------------------------


def home(request):
    """The council's (or the unit's) blocs in the chosen emulation year, and what needs attention.

    The table pages (a national deployment lists 600 blocs): seats and the providers' badges are read for
    the page's rows only, while the attention list covers every bloc listed, each line from an aggregate
    query over them, so the page costs the same whatever the number of blocs.
    """
    user = request.user
    if not access.has_role(user):
        # A unit's user whose unit is in no bloc yet has no role anywhere: say whom to ask, not an empty home.
        return render(request, "blocs/no_role.html")
    setup = None
    council = None
    if access.is_officer(user):
        council = access.council_or_none(user)
        steps = first_run.council_steps(user, council)
        if council is None:  # a superuser on a fresh portal
            return render(request, "blocs/first_steps.html", {"steps": steps, "next_step": first_run.next_step(steps)})
        setup = steps if first_run.incomplete(steps) else None
        default_year = council.current_year
    else:
        default_year = _default_year(user)
    year = year_param(request, default_year)
    listed = _listed_blocs(user, year)
    # Every listed bloc is read once (the to-do list asks about all of them; a national deployment lists
    # 600): the page is cut from that list, so neither a count nor a page query is run.
    every_bloc = _listed_rows(listed, year)
    page = Paginator(every_bloc, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # Counted for the page's rows only: an annotation on the listing would count every bloc's members
    # before the page is cut.
    member_counts = dict(
        Membership.objects.covering(year)
        .filter(bloc__in=shown)
        .order_by()
        .values("bloc_id")
        .annotate(n=Count("pk"))
        .values_list("bloc_id", "n")
    )
    seats = _seats_by_bloc([b.pk for b in shown], year)
    for bloc in shown:
        bloc.member_count = member_counts.get(bloc.pk, 0)
        bloc.year_seats = seats.get(bloc.pk, [])
        # Each seat in the bloc's own words and in rank order: "Cụm phó thứ nhất", "Cụm phó thứ hai".
        vice_count = sum(1 for seat in bloc.year_seats if seat.rank > 0)
        bloc.vice_seats = [(bloc.seat_label(s.rank, vice_count), s) for s in bloc.year_seats if s.rank > 0]
    attention, badges = _todo_and_badges(user, year, shown, every_bloc, listed)
    for bloc in shown:
        bloc.badges = badges.get(bloc.pk, [])
    # The column heads say Khối trưởng / Cụm trưởng when every bloc listed (on any page) is of one kind.
    one_kind = shown[0] if shown and len({bloc.kind for bloc in every_bloc}) == 1 else None
    # An officer's council's year report of the year shown; a year after the next has none yet.
    report_url = ""
    if council is not None and year <= council.current_year + 1:
        report_url = reverse("blocs:council_year", args=[council.pk, year])
    return render(
        request,
        "blocs/home.html",
        {
            "year": year,
            "blocs": shown,
            "page": page,
            "attention": attention,
            "years": range(year - 3, year + 2),
            "chair_head": one_kind.chair_word if one_kind else _("Chair"),
            "vice_head": one_kind.vice_word if one_kind else _("Vice-chairs"),
            # The first steps, while the officer's council lacks officers, units, blocs or seats.
            "setup_steps": setup,
            "next_step": first_run.next_step(setup) if setup else None,
            "report_url": report_url,
        },
    )


def _listed_blocs(user, year: int) -> BlocQuerySet:
    """The blocs of the home page and the to-do list: the officer's council's active blocs, or the unit's
    blocs of ``year``."""
    listed = cast(BlocQuerySet, access.visible_blocs(user).filter(active=True))
    return listed.with_member(user.unit, year) if user.unit_id else listed


def _listed_rows(listed, year: int) -> list[Bloc]:
    """The listed blocs in the home page's order, each with ``has_seats`` for ``year``. One query."""
    return list(
        listed.select_related("council")
        .annotate(has_seats=Exists(Seat.objects.filter(bloc=OuterRef("pk"), year=year)))
        .order_by("council__name", "kind", "sort_name", "pk")
    )


def _todo_and_badges(
    user, year: int, shown, blocs: list[Bloc], listed
) -> tuple[list[registry.AttentionItem], dict[int, list[str]]]:
    """The user's to-do list (việc cần làm) over every listed bloc (``blocs``, from ``_listed_rows``; the
    queryset ``listed`` for the providers' aggregates), and the badges of the page's rows (``shown``; none
    on the to-do page): the blocs without seats, the deadline trackers' items for the year and the next
    (whose pledge is signed at the end of this one), then the apps' providers'."""
    items = _blocs_without_seats(user, year, blocs)
    states = todo_items.deadline_states((bloc, y) for bloc in blocs for y in (year, year + 1))
    items.extend(todo_items.deadline_todo(user, states))
    badges: dict[int, list[str]] = defaultdict(list)
    for provider in registry.home_providers:
        contribution = provider(user, year, shown, listed=listed)
        items.extend(contribution.attention)
        for bloc_id, found in contribution.bloc_badges.items():
            badges[bloc_id].extend(found)
    return items, badges


def todo_list(request):
    """Việc cần làm: the to-do list of the home page on its own page, for a year."""
    user = request.user
    if not access.has_role(user):
        return render(request, "blocs/no_role.html")
    year = year_param(request, _default_year(user))
    listed = _listed_blocs(user, year)
    items, _badges = _todo_and_badges(user, year, [], _listed_rows(listed, year), listed)
    return render(request, "blocs/todo.html", {"year": year, "attention": items, "years": range(year - 3, year + 2)})


def _blocs_without_seats(user, year: int, blocs: list[Bloc]) -> list[registry.AttentionItem]:
    """ "KTĐ6 has no chair for 2025 yet" for each listed bloc (annotated ``has_seats``) without seats that
    ``user`` may set (the seat-write rule's own query for a seat holder of the year before, of a few blocs
    at most)."""
    return [
        registry.AttentionItem(
            text=_("%(bloc)s has no chair for %(year)s yet.") % {"bloc": bloc.name, "year": year},
            url=reverse("blocs:seats_edit", args=[bloc.pk, year]),
        )
        for bloc in blocs
        if not bloc.has_seats and access.can_set_seats(user, bloc, year)  # type: ignore[attr-defined]
    ]


# Search ----------------------------------------------------------------------------------------------


# Each group of the search page shows this many hits, and links to all of them (``?in=<group>``).
SEARCH_GROUP_LIMIT = 10


def _search_sources(user, query):
    """The groups of the search: the units and blocs the user may open, then the higher apps' groups
    (people, proposals, decisions, meetings) through the registry, each scoped by its pages' rule."""

    def unit_hits(units) -> list[registry.SearchHit]:
        return [registry.SearchHit(u.name, u.get_absolute_url(), u.abbreviations) for u in units]

    def bloc_hits(blocs) -> list[registry.SearchHit]:
        return [registry.SearchHit(b.name, b.get_absolute_url(), b.code) for b in blocs]

    sources = [
        registry.SearchSource(
            key="unit",
            title=_("Units"),
            items=access.visible_units(user).search(query).order_by("sort_name", "pk"),
            hits=unit_hits,
        ),
        registry.SearchSource(
            key="bloc",
            title=_("Blocs and clusters"),
            items=access.visible_blocs(user).search(query).order_by("sort_name", "pk"),
            hits=bloc_hits,
        ),
    ]
    for provider in registry.search_providers:
        sources.extend(provider(user, query))
    return sources


def search(request):
    """Units, blocs, people, proposals, decisions and meetings whose words match the search, whatever the
    case and diacritics, each group limited to its first hits with a link to the rest; ``?in=<group>``
    pages through one group. A text without a word to match (" - ") finds nothing."""
    query = request.GET.get("q", "").strip()[:200]
    only = request.GET.get("in", "")
    groups, page = [], None
    if search_words(query):
        sources = _search_sources(request.user, query)
        if only in {source.key for source in sources}:
            source = next(source for source in sources if source.key == only)
            page = paginate(request, source.items)
            groups.append({"source": source, "hits": source.hits(list(page.object_list)), "more": False})
        else:
            only = ""
            for source in sources:
                rows = list(source.items[: SEARCH_GROUP_LIMIT + 1])
                hits = source.hits(rows[:SEARCH_GROUP_LIMIT])
                groups.append({"source": source, "hits": hits, "more": len(rows) > SEARCH_GROUP_LIMIT})
    return render(request, "blocs/search.html", {"query": query, "groups": groups, "only": only, "page": page})


# Blocs -----------------------------------------------------------------------------------------------


BLOC_SORTS = {
    "name": ("sort_name",),
    "code": ("code_key",),
    "kind": ("kind", "sort_name"),
    "council": ("council__name", "sort_name"),
    "active": ("-active", "sort_name"),
}


def bloc_list(request):
    query = request.GET.get("q", "")
    blocs = access.visible_blocs(request.user).search(query).select_related("council")
    kind = request.GET.get("kind")
    if kind in Bloc.Kind.values:
        blocs = blocs.filter(kind=kind)
    order = sorting(request, BLOC_SORTS, default="council")
    page = paginate(request, blocs.order_by(*order.order_by))
    return render(
        request,
        "blocs/bloc_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": Bloc.Kind.choices, "sorting": order},
    )


def bloc_detail(request, pk: int):
    """Members of a year in protocol order, that year's seats, and the rotation timeline of all years."""
    bloc = access.bloc_for_viewing(request.user, pk)
    year = year_param(request, bloc.council.current_year)
    members = list(bloc.members(year))
    year_seats = list(bloc.seats_of(year))
    seat_of_unit = {s.unit_id: s for s in year_seats}
    vice_count = sum(1 for s in year_seats if s.rank > 0)
    for membership in members:
        seat = seat_of_unit.get(membership.unit_id)
        membership.seat_label = bloc.seat_label(seat.rank, vice_count) if seat else ""

    timeline = _seat_timeline(bloc)
    is_officer = access.is_officer_of(request.user, bloc.council_id)
    context = {
        "bloc": bloc,
        "year": year,
        "members": members,
        "year_seats": [(bloc.seat_label(s.rank, vice_count), s) for s in year_seats],
        "timeline": timeline,
        "role": access.role_in(request.user, bloc, year),
        "can_set_seats": access.can_set_seats(request.user, bloc, year),
        "can_set_next_seats": access.can_set_seats(request.user, bloc, year + 1),
        "can_manage_year": access.can_manage_bloc_year(request.user, bloc, year),
        "is_officer": is_officer,
        "years": range(year - 3, year + 2),
        # Panels of higher apps (the year's pledge …), through the registry.
        "panels": [panel for provider in registry.bloc_page_providers for panel in provider(request.user, bloc, year)],
    }
    if is_officer:
        context["all_memberships"] = bloc.memberships.select_related("unit").order_by("display_order", "first_year")
        context["history"] = history_entries(bloc)
        context["seat_writes"] = bloc.seat_writes.select_related("written_by")[:20]
    return render(request, "blocs/bloc_detail.html", context)


def _seat_timeline(bloc: Bloc) -> list[dict]:
    """One row per year, newest first: the chair and the vice-chairs in order."""
    rows: dict[int, list[Seat]] = defaultdict(list)
    for seat in bloc.seats.select_related("unit").order_by("-year", "rank"):
        rows[seat.year].append(seat)
    return [
        {
            "year": year,
            "chair": next((s.unit for s in seats if s.rank == 0), None),
            "vices": [s.unit for s in seats if s.rank > 0],
        }
        for year, seats in rows.items()
    ]


def _model_form_page(request, form, *, saved: str, title: str, back=None):
    """A model form's page: a valid POST saves (``form_save``: a record saved at the same moment with the
    same code or name is an error next to the field, not a 500) and goes to the saved object."""
    if request.method == "POST" and form.is_valid() and (saved_object := form_save(form)) is not None:
        messages.success(request, saved)
        return redirect(saved_object)
    return render(request, "blocs/form.html", {"form": form, "title": title, "back": back})


def _create_page(request, form_class, *, saved: str, title: str):
    """A new bloc or unit of the officer's council."""
    form = form_class(request.POST or None, council=access.council_for_officer(request.user))
    return _model_form_page(request, form, saved=saved, title=title)


def _edit_page(request, form_class, record, *, saved: str):
    """A bloc or unit the user may see, changed by an officer of its council."""
    access.require_officer_of(request.user, record.council_id)
    form = form_class(request.POST or None, instance=record, council=record.council)
    title = _("Edit %(name)s") % {"name": record.name}
    return _model_form_page(request, form, saved=saved, title=title, back=record)


def bloc_create(request):
    return _create_page(request, BlocForm, saved=_("The bloc was created."), title=_("New bloc or cluster"))


def bloc_edit(request, pk: int):
    bloc = access.bloc_for_viewing(request.user, pk)
    return _edit_page(request, BlocForm, bloc, saved=_("The bloc was saved."))


def membership_create(request, pk: int):
    """Several units join the bloc at once, from the year the bloc page showed (``?year=``) by default."""
    bloc = access.bloc_for_viewing(request.user, pk)
    access.require_officer_of(request.user, bloc.council_id)
    year = year_param(request, bloc.council.current_year)
    form = MembershipAddForm(request.POST or None, bloc=bloc, year=year)
    if request.method == "POST" and form.is_valid():
        first_year = form.cleaned_data["first_year"]
        added, _saved = form_attempt(
            form,
            lambda: services.membership_add_many(
                bloc=bloc, units_in_order=form.cleaned_data["units_in_order"], from_year=first_year, by=request.user
            ),
        )
        if added:
            count = len(form.cleaned_data["units_in_order"])
            messages.success(
                request,
                ngettext("%(count)s member was added.", "%(count)s members were added.", count) % {"count": count},
            )
            return redirect(_bloc_year_url(bloc, first_year))
    existing = list(bloc.members(year))
    return render(
        request,
        "blocs/membership_add.html",
        {"form": form, "bloc": bloc, "year": year, "existing": existing, "back": _bloc_year_url(bloc, year)},
    )


def _bloc_year_url(bloc: Bloc, year: int) -> str:
    """The bloc page showing ``year``: where a form opened from it goes back to."""
    return f"{bloc.get_absolute_url()}?year={year}"


def membership_edit(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("bloc__council", "unit"), pk=pk)
    bloc = access.bloc_for_viewing(request.user, membership.bloc_id)
    access.require_officer_of(request.user, bloc.council_id)
    # Back to the year the bloc page showed; a link without one goes to the membership's first year.
    year = year_param(request, membership.first_year)
    form = MembershipForm(request.POST or None, instance=membership, bloc=bloc)
    title = _("Membership of %(unit)s") % {"unit": membership.unit.name}
    if request.method == "POST" and form.is_valid():
        saved, _membership = form_attempt(form, lambda: services.membership_save(membership=form.instance))
        if saved:
            messages.success(request, _("The membership was saved."))
            return redirect(_bloc_year_url(bloc, year))
    context = {
        "form": form,
        "title": title,
        "back_url": _bloc_year_url(bloc, year),
        "history": history_entries(membership),
    }
    return render(request, "blocs/form.html", context)


def seats_edit(request, pk: int, year: int):
    """Set a bloc-year's seats, with the rotation suggestion and the rule that produced it."""
    bloc = access.bloc_for_viewing(request.user, pk)
    bloc_year_or_404(bloc, year)
    if not access.can_set_seats(request.user, bloc, year):
        raise PermissionDenied(access.seat_write_refusal(request.user, bloc, year))
    suggestion = services.seats_suggest(bloc=bloc, year=year)
    current = list(bloc.seats_of(year))
    # The form starts from what is recorded; a year without seats starts empty, and the suggestion stays
    # beside it with its own accept button: a suggestion is never recorded as a fact.
    initial = {}
    if current:
        initial = {"chair": current[0].unit_id if current[0].rank == 0 else None}
        initial.update({f"vice_{s.rank}": s.unit_id for s in current if 0 < s.rank <= SeatsForm.VICE_SEATS})

    recorded = bool(current)
    if request.method == "POST" and "accept_suggestion" in request.POST:
        form = SeatsForm(bloc=bloc, year=year, initial=initial, recorded=recorded)
        if suggestion.chair is None:
            messages.error(request, _("There is no suggestion to accept."))
        else:
            try:
                services.seats_set(
                    bloc=bloc,
                    year=year,
                    chair=suggestion.chair,
                    vice_chairs=suggestion.vice_chairs,
                    by=request.user,
                    source=SeatWrite.Source.ROTATION,
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The suggested seats for %(year)s were saved.") % {"year": year})
                return redirect(f"{bloc.get_absolute_url()}?year={year}")
    else:
        form = SeatsForm(request.POST or None, bloc=bloc, year=year, initial=initial, recorded=recorded)
    if request.method == "POST" and "accept_suggestion" not in request.POST and form.is_valid():
        try:
            services.seats_set(
                bloc=bloc,
                year=year,
                chair=form.cleaned_data["chair"],
                vice_chairs=form.cleaned_data["vice_chairs"],
                by=request.user,
                source=SeatWrite.Source.OFFICER,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The seats for %(year)s were saved.") % {"year": year})
            return redirect(f"{bloc.get_absolute_url()}?year={year}")
    return render(
        request,
        "blocs/seats_form.html",
        {
            "bloc": bloc,
            "year": year,
            "form": form,
            "suggestion": suggestion,
            "suggested_vices": [
                (bloc.seat_label(rank, len(suggestion.vice_chairs)), unit)
                for rank, unit in enumerate(suggestion.vice_chairs, start=1)
            ],
            "current": current,
        },
    )


# Units -----------------------------------------------------------------------------------------------


# The units list's orders (``?sort=``): Vietnamese order of the name (``sort_name``), the code whatever
# its letter case, the kind, and the head.
UNIT_SORTS = {
    "name": ("sort_name",),
    "code": ("code_key",),
    "kind": ("kind", "sort_name"),
    "head": ("head_name", "sort_name"),
}


def unit_list_query(request):
    """The units list of the request, as the page and its Excel export show it: the units the user may
    open (``access.visible_units``), narrowed by the search ``q``, ``kind`` and ``inactive``, in the order of
    ``sort``, each with ``year_memberships`` (its blocs of the year ``?year=``, default the council's current
    one, among the blocs the user may open) prefetched: one query for the page's units, one for their blocs.
    Returns the queryset and the page's filter values."""
    user = request.user
    query = request.GET.get("q", "")
    year = year_param(request, _default_year(user))
    units = access.visible_units(user).search(query).select_related("council")
    kind = request.GET.get("kind")
    if kind in Unit.Kind.values:
        units = units.filter(kind=kind)
    if request.GET.get("inactive") != "1":
        units = units.filter(active=True)
    order = sorting(request, UNIT_SORTS, default="name")
    blocs_of_year = (
        Membership.objects.covering(year)
        .filter(bloc__in=access.visible_blocs(user))
        .select_related("bloc")
        .order_by("bloc__sort_name", "bloc_id", "first_year")
    )
    units = units.order_by(*order.order_by).prefetch_related(
        Prefetch("memberships", queryset=blocs_of_year, to_attr="year_memberships")
    )
    return units, {"query": query, "kind": kind, "year": year, "sorting": order}


def unit_list(request):
    units, filters = unit_list_query(request)
    page = paginate(request, units)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "blocs/unit_list.html",
        {
            **filters,
            "page": page,
            "kinds": Unit.Kind.choices,
            "is_officer": access.is_officer(request.user),
            # The export takes every unit of the filters (without ?page=).
            "export_query": params.urlencode(),
        },
    )


def unit_detail(request, pk: int):
    """A unit's blocs over the years, every seat it held, its merger links and (for officers) history."""
    unit = access.unit_for_viewing(request.user, pk)
    memberships = unit.memberships.select_related("bloc").order_by("-first_year", "bloc__sort_name")
    seats = unit.seats.select_related("bloc").order_by("-year", "rank")
    seat_rows = [(seat, seat.bloc.seat_label(seat.rank)) for seat in seats]
    is_officer = access.is_officer_of(request.user, unit.council_id)
    panels = [panel for provider in registry.unit_page_providers for panel in provider(request.user, unit)]
    context = {
        "unit": unit,
        "memberships": memberships,
        "seat_rows": seat_rows,
        "predecessors": unit.predecessors.order_by("sort_name"),
        "is_officer": is_officer,
        "panels": panels,
    }
    if is_officer:
        context["history"] = history_entries(unit)
        context["unit_users"] = unit.users.order_by("username")
    return render(request, "blocs/unit_detail.html", context)


def unit_create(request):
    return _create_page(request, UnitForm, saved=_("The unit was created."), title=_("New unit"))


def unit_edit(request, pk: int):
    unit = access.unit_for_viewing(request.user, pk)
    return _edit_page(request, UnitForm, unit, saved=_("The unit was saved."))


def unit_merge(request):
    council = access.council_for_officer(request.user)
    form = MergeForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        if not confirmed(request):
            return confirm_page(request, _merge_confirmation(form))
        try:
            successor = services.unit_merge(
                predecessors=list(form.cleaned_data["predecessors"]),
                successor=form.cleaned_data["successor"],
                year=form.cleaned_data["year"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The merger was recorded."))
            return redirect(successor)
    return render(request, "blocs/merge_form.html", {"form": form})


def _merge_confirmation(form: MergeForm) -> Confirmation:
    """What a merger will do, in the words of the chosen units and blocs; the form's values are posted
    again with the confirmation."""
    predecessors = list(form.cleaned_data["predecessors"])
    successor, year = form.cleaned_data["successor"], form.cleaned_data["year"]
    # One filter(): the same membership must be a merging unit's and still run in the merger year.
    current = Q(memberships__last_year__isnull=True) | Q(memberships__last_year__gte=year)
    blocs = Bloc.objects.filter(Q(memberships__unit__in=predecessors) & current).distinct().order_by("sort_name")
    words = {
        "units": ", ".join(unit.display_name for unit in predecessors),
        "successor": successor.display_name,
        "year": year,
        "blocs": ", ".join(bloc.name for bloc in blocs) or _("none"),
    }
    return Confirmation(
        title=_("Record the merger?"),
        consequences=[
            _("%(units)s merge into %(successor)s from %(year)s.") % words,
            _("Their memberships end in %(year)s and %(successor)s takes their places in: %(blocs)s.") % words,
            _("Seats they hold in %(year)s or later pass to %(successor)s.") % words,
        ],
        back_url=reverse("blocs:unit_list"),
        fields=[
            *(("predecessors", str(unit.pk)) for unit in predecessors),
            ("successor", str(successor.pk)),
            ("year", str(year)),
        ],
    )


# Council ---------------------------------------------------------------------------------------------


def council_settings(request):
    council = access.council_for_officer(request.user)
    form = CouncilSettingsForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid() and form_save(form) is not None:
        messages.success(request, _("The council settings were saved."))
        return redirect("blocs:council_settings")
    first, last = council_year_span(council)
    # The year reports, the latest first: the current year's and the years before it (the next year has
    # nothing to report yet).
    report_years = range(min(council.current_year, last), first - 1, -1)
    return render(
        request,
        "blocs/council_settings.html",
        {"form": form, "council": council, "history": history_entries(council), "report_years": report_years},
    )
