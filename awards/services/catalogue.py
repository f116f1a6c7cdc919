"""What a bloc-year's proposals are checked against: the council's award types and rules, its
submission deadlines, and the member units' registrations (đăng ký thi đua)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.integrity import unique_errors, violated_unique
from blocs.models import Bloc, Council, Unit, User
from blocs.text import fold, nfc

from ..catalogue import catalogue_for_level
from ..models import AwardRule, AwardType, Registration


def award_catalogue_install(*, council: Council) -> list[AwardType]:
    """Copy the standard catalogue of the council's level (``awards.catalogue.catalogue_for_level``) to
    ``council``: the types it lacks (by code). Returns those created.

    Called when a council is created (``awards.apps``) and by migration for older councils; running it
    again adds nothing, and types an officer renamed or deactivated are left as they are.
    """
    existing = set(AwardType.objects.filter(council=council).values_list("code", flat=True))
    names = set(AwardType.objects.filter(council=council).values_list("name", flat=True))
    created = []
    with transaction.atomic():
        for order, standard in enumerate(catalogue_for_level(council.level), start=1):
            if standard.code in existing or standard.name in names:
                continue
            created.append(
                AwardType.objects.create(
                    council=council,
                    code=standard.code,
                    name=standard.name,
                    recipient_kind=standard.recipient_kind,
                    level=standard.level,
                    authority=standard.authority,
                    order=order * 10,
                )
            )
    return created


def award_type_save(*, award_type: AwardType, by: User | None = None) -> AwardType:
    """Add or change an award type; a new one gets a code from its name (unique in the council)."""
    if not award_type.code:
        base = fold(award_type.name).replace(" ", "-")[:50] or "hinh-thuc"
        taken = set(
            AwardType.objects.filter(council=award_type.council, code__startswith=base).values_list("code", flat=True)
        )
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base}-{n}"
        award_type.code = code
    award_type.full_clean()
    with_history_user(award_type, by)
    # Two officers saving the same name at once both pass full_clean(); the database refuses the second.
    name_taken = ("name", _("The council already has an award type with this name."))
    with unique_errors(
        AwardType, {"award_type_name_unique_per_council": name_taken, "award_type_code_unique_per_council": name_taken}
    ):
        award_type.save()
    return award_type


def award_rule_save(*, rule: AwardRule, by: User | None = None) -> AwardRule:
    """Add or change a rule after checking it is complete for its kind (the constraints say the same)."""
    # Fields of the other kinds are cleared, so a rule never carries a stale threshold or quota.
    if rule.kind != AwardRule.Kind.THRESHOLD:
        rule.threshold_numerator = rule.threshold_denominator = None
        rule.threshold_strict = False
        rule.base = ""
        rule.acclamation_counts = True
    if rule.kind != AwardRule.Kind.QUOTA:
        rule.quota_number = rule.quota_percent = None
    if rule.kind != AwardRule.Kind.ELIGIBILITY:
        rule.requires_type = None
    if rule.kind != AwardRule.Kind.RANK:
        rule.rank_at_most = None
    if rule.kind != AwardRule.Kind.SCORE:
        rule.minimum_score = None
    rule.full_clean()
    with_history_user(rule, by)
    with transaction.atomic():
        rule.save()
    return rule


def award_rule_delete(*, rule: AwardRule, by: User | None = None) -> None:
    with_history_user(rule, by)
    with transaction.atomic():
        rule.delete()


def registration_add(
    *, bloc: Bloc, year: int, unit: Unit, award_type: AwardType, note: str = "", by: User | None
) -> Registration:
    """A member unit registers a target title for a bloc-year.

    Registering what is already registered with the same note (a double click, a second tab) is the
    registration there is: it is returned and nothing is written. With another note it is refused with
    the field error, so the note typed is not silently dropped. Two requests at once end the same way:
    the database's constraint refuses the second insert, and the registration that won is looked at.
    """
    note = nfc(note)
    errors: dict[str, list[str]] = {}
    if award_type.council_id != bloc.council_id:
        errors.setdefault("award_type", []).append(_("The award type belongs to another council."))
    elif not award_type.active:
        errors.setdefault("award_type", []).append(_("%(type)s is no longer in use.") % {"type": award_type.name})
    if not bloc.memberships.covering(year).filter(unit=unit).exists():
        errors.setdefault("unit", []).append(
            _("%(unit)s is not a member of the bloc in %(year)s.") % {"unit": unit.name, "year": year}
        )
    if errors:
        raise ValidationError(errors)
    existing = registration_find(bloc=bloc, year=year, unit=unit, award_type=award_type)
    if existing is not None:
        return _registration_same(existing, note)
    registration = Registration(bloc=bloc, year=year, unit=unit, award_type=award_type, note=note, created_by=by)
    with_history_user(registration, by)
    try:
        with transaction.atomic():  # a savepoint: a lost race keeps an outer transaction usable
            registration.save()
    except IntegrityError as error:
        if violated_unique(Registration, error) != "award_registration_once":
            raise
        return _registration_same(registration_find(bloc=bloc, year=year, unit=unit, award_type=award_type), note)
    return registration


def registration_find(*, bloc: Bloc, year: int, unit: Unit, award_type: AwardType) -> Registration | None:
    """The unit's registration of this title for the bloc-year, if any (the natural key)."""
    return Registration.objects.filter(bloc=bloc, year=year, unit=unit, award_type=award_type).first()


def _registration_same(existing: Registration, note: str) -> Registration:
    """The registration already there, if registering again means the same; a field error otherwise."""
    if existing.note == note:
        return existing
    raise ValidationError(
        {
            "award_type": [
                _("%(unit)s has already registered for %(type)s in %(year)s.")
                % {"unit": existing.unit.name, "type": existing.award_type.name, "year": existing.year}
            ]
        },
        code="unique",
    )


def registration_remove(*, registration: Registration, by: User | None) -> None:
    with_history_user(registration, by)
    with transaction.atomic():
        registration.delete()
