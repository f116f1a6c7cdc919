"""A unique constraint the database enforced, turned into the form error a user can act on.

A service checks before it writes ("… has already registered for …"), which covers one request after
another. Two requests at once — a double click 50 ms apart, two officers — both pass the check; the
database then refuses the second write with an IntegrityError, which would be a 500. Every write a form
can make that a unique constraint may refuse runs inside a savepoint (so an outer transaction, such as a
conference's results, survives the refusal) and the refusal becomes a ``ValidationError`` keyed by the
form field that names what clashed — or, where that is what the user meant, an idempotent success.

``violated_unique`` names the constraint from the database's error on PostgreSQL and SQLite alike, so an
integrity error that is not a known unique clash (a foreign key, a check) is never mistaken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

# SQLite: "UNIQUE constraint failed: awards_registration.bloc_id, awards_registration.year, …" for columns,
# "UNIQUE constraint failed: index 'name'" for an index on expressions.
_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w.]+(?:, [\w.]+)*)$")
_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>[^']+)'")
# PostgreSQL's detail: "Key (bloc_id, year, unit_id, award_type_id)=(1, 2021, 3, 4) already exists."
_POSTGRES_KEY = re.compile(r"^Key \((?P<columns>[^)]*)\)=")


def _unique_names(model: type[models.Model]) -> dict[str, frozenset[str] | None]:
    """The model's unique constraints by name (with their columns, None for one on expressions) and its
    unique fields by field name (with their column)."""
    names: dict[str, frozenset[str] | None] = {}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            columns = frozenset(model._meta.get_field(name).column for name in constraint.fields)
            names[constraint.name] = columns or None
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            names[field.name] = frozenset([field.column])
    return names


def violated_unique(model: type[models.Model], error: IntegrityError) -> str | None:
    """The name of the unique constraint of ``model`` (or of its unique field) that ``error`` reports, or
    None if it reports something else (a foreign key, a check constraint, another model's table)."""
    names = _unique_names(model)
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    columns: frozenset[str] | None = None
    if diag is not None:  # PostgreSQL (psycopg)
        code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)  # psycopg2 / psycopg 3
        if code != "23505" or diag.table_name != model._meta.db_table:  # 23505: unique_violation
            return None
        if diag.constraint_name in names:
            return diag.constraint_name
        match = _POSTGRES_KEY.match(diag.message_detail or "")
        if match:
            columns = frozenset(c.strip().strip('"') for c in match.group("columns").split(","))
    else:  # SQLite
        message = str(error)
        match = _SQLITE_INDEX.search(message)
        if match:
            return match.group("name") if match.group("name") in names else None
        match = _SQLITE_COLUMNS.search(message)
        if match:
            qualified = [c.strip() for c in match.group("columns").split(",")]
            if any(not c.startswith(model._meta.db_table + ".") for c in qualified):
                return None
            columns = frozenset(c.split(".", 1)[1] for c in qualified)
    if columns:
        return next((name for name, own in names.items() if own == columns), None)
    return None


@contextmanager
def unique_errors(model: type[models.Model], messages: Mapping[str, tuple[str, str]]) -> Iterator[None]:
    """Run the block in a savepoint; if the database refuses it for one of the unique constraints (or
    unique fields) of ``model`` named in ``messages``, raise ``ValidationError({field: [message]})`` with
    that constraint's ``(field, message)``. Any other integrity error is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        name = violated_unique(model, error)
        if name not in messages:
            raise
        field, message = messages[name]
        raise ValidationError({field: [message]}, code="unique") from error
