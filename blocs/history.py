"""Change history shown to officers on an object's page (django-simple-history records, as diffs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

HIDDEN_FIELDS = {"search_text", "sort_name", "password", "last_login"}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def history_entries(obj, *, limit: int = 30) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``obj``, newest first, each with its changed fields."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        entry = HistoryEntry(
            when=newer.history_date,
            who=newer.history_user.display_name if newer.history_user else str(_("system")),
            action=str(ACTIONS.get(newer.history_type, newer.history_type)),
            reason=newer.history_change_reason or "",
        )
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                label = str(obj._meta.get_field(change.field).verbose_name)
                entry.changes.append((label, _display(change.old), _display(change.new)))
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
