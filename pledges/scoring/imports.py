"""Replacing a scoring table's groups and criteria from its Excel sheet (nhập bảng chấm điểm từ Excel).

``pledges.scoring.spreadsheets.table_sheet_read`` reads the sheet into rows; ``scoring_table_import`` checks
and writes them. It writes through the table's own services (``group_remove``, ``group_add``,
``criterion_add``), so an imported line obeys exactly the rules of a line added on the page: a name or a
text, a maximum above 0 with at most two decimals, a kind, and a group's base criteria within the group's
maximum. A query or a few per row, like every service call; a table has tens of lines, and it is imported
once a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from blocs.excel import IssueCollector
from blocs.models import User

from .models import Criterion, Score, ScoringGroup, ScoringTable
from .services import criterion_add, group_add, group_remove
from .spreadsheets import TableIssue, TableLine

# A service's error field -> the sheet's column it is about.
_COLUMN_OF_FIELD = {"name": "text", "text": "text", "maximum": "maximum", "kind": "kind", "guide": "guide"}


class TableImportInvalid(ValidationError):
    """Rows of the sheet that the table's rules refuse (``issues``: one per bad cell); nothing was saved."""

    def __init__(self, issues: Sequence[TableIssue]):
        super().__init__([issue.text for issue in issues], code="rows")
        self.issues = list(issues)


@dataclass(frozen=True)
class TableImportResult:
    """What an import wrote (or, checked only, would write): the lines it removed and those it added."""

    groups_removed: int
    criteria_removed: int
    groups: int
    criteria: int


def scoring_table_import(
    *, table: ScoringTable, rows: Sequence[TableLine], by: User | None, confirmed: bool = False
) -> TableImportResult:
    """Replace every group and criterion of ``table`` by ``rows`` (the sheet's rows, groups each followed by
    their criteria), in one transaction: all of them, or nothing.

    Only a table being prepared, without any score, is replaced (once scoring opens, its lines change one
    by one on the page, where entered scores are kept). Without ``confirmed`` everything is checked the
    same way and then rolled back: the preview the user confirms is what the import will do. Raises
    ``TableImportInvalid`` naming each refused row, or a ValidationError for the table's state.
    """
    if not rows:
        raise ValidationError(_("The sheet has no rows under its header row."), code="empty")
    with transaction.atomic():
        locked = ScoringTable.objects.select_for_update().select_related("bloc").get(pk=table.pk)
        _require_replaceable(locked)
        removed = list(locked.groups.all())
        criteria_removed = Criterion.objects.filter(group__table=locked).count()
        for group in removed:
            # Raises for a final (locked) year; a table being prepared has no scores to keep.
            group_remove(group=group, by=by)
        issues, groups, criteria = _lines_add(locked, rows, by)
        if issues:
            raise TableImportInvalid(issues.sorted())
        if not confirmed:
            transaction.set_rollback(True)
    return TableImportResult(
        groups_removed=len(removed), criteria_removed=criteria_removed, groups=groups, criteria=criteria
    )


def _require_replaceable(table: ScoringTable) -> None:
    if table.state != ScoringTable.State.PREPARING:
        raise ValidationError(
            _(
                "Scoring of %(year)s has opened: the table is no longer replaced from Excel. Change its lines "
                "one by one, so that the scores already entered are kept."
            )
            % {"year": table.year},
            code="state",
        )
    if Score.objects.filter(criterion__group__table=table).exists():
        raise ValidationError(
            _("The %(year)s table has scores: it is no longer replaced from Excel.") % {"year": table.year},
            code="scored",
        )


def _lines_add(
    table: ScoringTable, rows: Sequence[TableLine], by: User | None
) -> tuple[IssueCollector[TableIssue], int, int]:
    """Add each row through its service, each in its own savepoint, so that every refused row is reported
    at once; the rows of a group that was refused are skipped (the group's row says what to fix)."""
    issues = IssueCollector(TableIssue)
    group: ScoringGroup | None = None
    refused_group = False
    groups = criteria = 0
    for line in rows:
        try:
            if line.is_group:
                group, refused_group = None, True
                group = group_add(table=table, name=line.text, maximum=line.maximum, by=by)
                refused_group = False
                groups += 1
            elif group is not None:
                criterion_add(
                    group=group, text=line.text, maximum=line.maximum, kind=line.kind, guide=line.guide, by=by
                )
                criteria += 1
            elif not refused_group:
                issues.add(
                    _("a criterion comes under its group: put a group's row above it"), row=line.row, column="kind"
                )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise  # the table's state (a final year): nothing of the sheet can be saved
            for name, messages in error.message_dict.items():
                issues.add(" ".join(messages), row=line.row, column=_COLUMN_OF_FIELD.get(name))
        except DatabaseError as error:
            issues.add(_("the database refused the change (%(error)s)") % {"error": error}, row=line.row)
    return issues, groups, criteria
