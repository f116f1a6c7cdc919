"""What the meetings services share: the error collector keyed to the results form's fields, the rule
that final minutes change only after a correction, and the bloc's members of a year."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from types import TracebackType

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.models import Bloc

from ..models import (
    Meeting,
    MinutesVersion,
)

# Keys of the results form (used by the view to put each error next to its field).
ROW_KEY = re.compile(r"^(?P<prefix>attendance|votes|awards|guests)-(?P<index>\d+)-(?P<field>\w+)$")


def meeting_reference(meeting: Meeting) -> str:
    """How awards remembers the conference that decided a bloc-issued award ("meeting:12")."""
    return f"meeting:{meeting.pk}"


class _Errors:
    """Collects the errors of every step, keyed to the results form's field names."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, messages: str | Iterable[object]) -> None:
        if isinstance(messages, str):
            messages = [messages]
        self.errors.setdefault(key, []).extend(str(m) for m in messages)

    def merge(self, error: ValidationError, key_of: Callable[[str], str]) -> None:
        """A ValidationError of an inner service, its field names mapped to the form's."""
        if hasattr(error, "error_dict"):
            for field, field_errors in error.error_dict.items():
                self.add(key_of(field), [m for e in field_errors for m in e.messages])
        else:
            self.add(key_of(NON_FIELD_ERRORS), error.messages)

    def step(self, key_of: Callable[[str], str]) -> _Step:
        """``with errors.step(...)``: run one step in a savepoint; a ValidationError is recorded, and the
        step's own writes roll back so the next step starts clean."""
        return _Step(self, key_of)

    def __bool__(self) -> bool:
        return bool(self.errors)


class _Step:
    def __init__(self, errors: _Errors, key_of: Callable[[str], str]) -> None:
        self.errors, self.key_of = errors, key_of
        self.atomic = transaction.atomic()

    def __enter__(self) -> _Step:
        self.atomic.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        if isinstance(exc, ValidationError):
            self.atomic.__exit__(exc_type, exc, tb)  # roll the savepoint back
            self.errors.merge(exc, self.key_of)
            return True  # recorded; go on with the next step to report every error at once
        # Atomic.__exit__ returns None: the exception, if any, propagates.
        self.atomic.__exit__(exc_type, exc, tb)
        return None


def _row_key(prefix: str, index: int, aliases: dict[str, str] | None = None) -> Callable[[str], str]:
    aliases = aliases or {}

    def key_of(field: str) -> str:
        return f"{prefix}-{index}-{aliases.get(field, field)}"

    return key_of


def _fixed(key: str) -> Callable[[str], str]:
    return lambda field: key


def _keyed(mapping: dict[str, str], default: str = NON_FIELD_ERRORS) -> Callable[[str], str]:
    return lambda field: mapping.get(field, default)


def _require_minutes_open(meeting: Meeting) -> None:
    """Final minutes print the record as it was: changing it needs a correction first."""
    current = MinutesVersion.objects.filter(minutes__meeting=meeting).order_by("-number").first()
    if current is not None and current.is_final:
        raise ValidationError(
            _(
                "The minutes (version %(number)s) are final. Start a correction, with its reason, before "
                "changing what the meeting recorded."
            )
            % {"number": current.number}
        )


def _members_of(bloc: Bloc, year: int) -> set[int]:
    return set(bloc.memberships.covering(year).values_list("unit_id", flat=True))
