"""The council's catalogue, rules and deadlines (officers), and the member units' registrations of
titles (đăng ký thi đua)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access
from blocs.history import history_entries
from blocs.models import Bloc, Unit
from blocs.web import ID_MAX, Confirmation, attach_errors, confirm_page, confirmed, int_or_none

from .. import forms, services
from ..models import AwardRule, AwardType, Registration
from .common import _bloc_year, _officer_council


@require_safe
def catalogue(request):
    council = _officer_council(request)
    types = AwardType.objects.filter(council=council).prefetch_related(
        Prefetch(
            "rules",
            queryset=AwardRule.objects.select_related("bloc", "requires_type").order_by(
                "kind", "bloc__sort_name", "id"
            ),
        )
    )
    return render(request, "awards/catalogue.html", {"council": council, "types": types})


def type_create(request):
    council = _officer_council(request)
    form = forms.AwardTypeForm(request.POST or None, council=council)
    return _type_form(request, form, _("New award type"))


def type_edit(request, pk: int):
    council = _officer_council(request)
    award_type = get_object_or_404(AwardType, pk=pk, council=council)
    form = forms.AwardTypeForm(request.POST or None, instance=award_type, council=council)
    return _type_form(request, form, _("Edit %(name)s") % {"name": award_type.name}, award_type=award_type)


def _type_form(request, form, title, award_type=None):
    return _catalogue_form(
        request,
        form,
        title=title,
        save=lambda: services.award_type_save(award_type=form.instance, by=request.user),
        saved=_("The award type was saved."),
        done_url=reverse("awards:catalogue"),
        recorded=award_type,
    )


def rule_create(request, pk: int):
    council = _officer_council(request)
    award_type = get_object_or_404(AwardType, pk=pk, council=council)
    form = forms.AwardRuleForm(request.POST or None, award_type=award_type)
    return _rule_form(request, form, award_type, _("New rule for %(type)s") % {"type": award_type.name})


def rule_edit(request, pk: int):
    council = _officer_council(request)
    rule = get_object_or_404(AwardRule.objects.select_related("award_type"), pk=pk, award_type__council=council)
    form = forms.AwardRuleForm(request.POST or None, instance=rule, award_type=rule.award_type)
    return _rule_form(request, form, rule.award_type, _("Rule of %(type)s") % {"type": rule.award_type.name}, rule=rule)


def _rule_form(request, form, award_type, title, rule=None):
    return _catalogue_form(
        request,
        form,
        title=title,
        save=lambda: services.award_rule_save(rule=form.instance, by=request.user),
        saved=_("The rule was saved."),
        done_url=reverse("awards:catalogue") + f"#type-{award_type.pk}",
        recorded=rule,
        context={"rule_form": True},
    )


def _catalogue_form(request, form, *, title: str, save, saved: str, done_url: str, recorded=None, context=None):
    """An officer's form of the catalogue: saved through ``save`` (a service call) and back to the
    catalogue, or shown again with the service's refusal; a ``recorded`` object's history below it."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(done_url)
    page = {"form": form, "title": title, "back_url": reverse("awards:catalogue"), **(context or {})}
    if recorded is not None:
        page["history"] = history_entries(recorded)
    return render(request, "awards/form.html", page)


@require_http_methods(["GET", "HEAD", "POST"])
def rule_delete(request, pk: int):
    """Delete a rule of the catalogue, after a confirmation page that names it."""
    council = _officer_council(request)
    rule = get_object_or_404(AwardRule.objects.select_related("award_type", "bloc"), pk=pk, award_type__council=council)
    if not confirmed(request):
        scope = rule.bloc.name if rule.bloc_id else _("every bloc of the council")
        return confirm_page(
            request,
            Confirmation(
                title=_("Delete the rule?"),
                consequences=[
                    _("The rule “%(rule)s” of %(award)s (%(scope)s) will be deleted.")
                    % {"rule": rule.text(), "award": rule.award_type.name, "scope": scope},
                    _("Proposals are no longer checked against it, including the drafts already written."),
                ],
                back_url=reverse("awards:catalogue"),
            ),
        )
    services.award_rule_delete(rule=rule, by=request.user)
    messages.success(request, _("The rule was deleted."))
    return redirect("awards:catalogue")


def _registrable_units(user, bloc: Bloc, year: int):
    members = Unit.objects.filter(memberships__in=bloc.memberships.covering(year)).order_by(
        "memberships__display_order", "sort_name"
    )
    if access.can_manage_bloc_year(user, bloc, year):
        return members
    if access.is_member(user, bloc, year):
        return members.filter(pk=user.unit_id)
    return members.none()


def registrations(request, pk: int, year: int):
    bloc = _bloc_year(request, pk, year)
    user = request.user
    units = _registrable_units(user, bloc, year)
    form = forms.RegistrationForm(request.POST or None, bloc=bloc, year=year, units=units)
    if request.method == "POST":
        unit_id = int_or_none(request.POST.get("unit"), minimum=1, maximum=ID_MAX)
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        # Members register their own unit only; the year's seat holders and officers any member.
        if not units.exists() or (unit is not None and not access.can_register_titles(user, bloc, year, unit)):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.registration_add(bloc=bloc, year=year, by=user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The registration was saved."))
                return redirect("awards:registrations", bloc.pk, year)
    items = list(
        Registration.objects.filter(bloc=bloc, year=year)
        .select_related("unit", "award_type", "created_by")
        .order_by("unit__sort_name", "award_type__order")
    )
    for item in items:
        item.can_remove = access.can_register_titles(user, bloc, year, item.unit)
    return render(
        request,
        "awards/registrations.html",
        {"bloc": bloc, "year": year, "form": form if units.exists() else None, "items": items},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def registration_delete(request, pk: int):
    """Remove a unit's registration of a title, after a confirmation page that names it."""
    registration = get_object_or_404(Registration.objects.select_related("unit", "award_type"), pk=pk)
    bloc = _bloc_year(request, registration.bloc_id, registration.year)
    if not access.can_register_titles(request.user, bloc, registration.year, registration.unit):
        raise PermissionDenied
    if not confirmed(request):
        words = {"unit": registration.unit.name, "award": registration.award_type.name, "year": registration.year}
        return confirm_page(
            request,
            Confirmation(
                title=_("Remove the registration?"),
                consequences=[
                    _("The registration of %(unit)s for %(award)s in %(year)s will be removed.") % words,
                    _("A proposal for this title then counts as not registered."),
                ],
                back_url=reverse("awards:registrations", args=[bloc.pk, registration.year]),
            ),
        )
    services.registration_remove(registration=registration, by=request.user)
    messages.success(request, _("The registration was removed."))
    return redirect("awards:registrations", bloc.pk, registration.year)
