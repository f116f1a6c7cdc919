"""Change history shown to officers on an object's page (django-simple-history records, as diffs)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

HIDDEN_FIELDS = {"search_text", "sort_name", "password", "last_login"}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

Recorded = TypeVar("Recorded", bound=models.Model)


def with_history_user(obj: Recorded, by: models.Model | None) -> Recorded:
    """``obj``, its next history entry written by ``by`` (returned, so ``with_history_user(x, by).save()``).

    django-simple-history takes the author from the request, and outside a request (a service called by a
    command, a test, ``on_commit``) there is none: every service names the user it writes for. With
    ``by=None`` the default stands (the request's user, or nobody), also on an instance an earlier call named
    someone on.
    """
    if by is None:
        vars(obj).pop("_history_user", None)
    else:
        obj._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history's save signal
    return obj


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def history_entries(obj, *, limit: int = 30) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``obj``, newest first, each with its changed fields.

    Foreign keys are shown by name: the ids of each related model are fetched in one query, so the cost
    does not grow with the number of entries.
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    pairs = list(zip(records, [*records[1:], None], strict=False))[:limit]
    deltas = [(newer, newer.diff_against(older) if older is not None else None) for newer, older in pairs]

    wanted: dict[type[models.Model], set] = defaultdict(set)
    for _newer, delta in deltas:
        for change in delta.changes if delta else []:
            model_field = obj._meta.get_field(change.field)
            if model_field.is_relation and model_field.many_to_one:
                wanted[model_field.related_model].update(v for v in (change.old, change.new) if v is not None)
    names = {model: {o.pk: str(o) for o in model._default_manager.filter(pk__in=ids)} for model, ids in wanted.items()}

    entries = []
    for newer, delta in deltas:
        entry = HistoryEntry(
            when=newer.history_date,
            who=newer.history_user.display_name if newer.history_user else str(_("system")),
            action=str(ACTIONS.get(newer.history_type, newer.history_type)),
            reason=newer.history_change_reason or "",
        )
        for change in delta.changes if delta else []:
            if change.field in HIDDEN_FIELDS:
                continue
            model_field = obj._meta.get_field(change.field)
            old, new = change.old, change.new
            if model_field.is_relation:
                # Only ids are looked up: other values (a JSON field's dict) need not be hashable.
                lookup = names.get(model_field.related_model, {})
                old, new = lookup.get(old, old), lookup.get(new, new)
            entry.changes.append((str(model_field.verbose_name), _display(old), _display(new)))
        entries.append(entry)
    return entries


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    return str(value)
