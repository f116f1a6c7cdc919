"""Chấm điểm, xếp hạng: every change of a scoring table, its sheets and its ranking.

Keyword-only, typed, atomic functions taking the acting user as ``by`` (the history author); they raise
``ValidationError`` with Vietnamese messages keyed to form fields and leave nothing half-saved. Who may call
them is decided by ``pledges.scoring.access`` in the view; the states (scoring open, a sheet's state, a
final ranking that locks the bloc-year) are checked here, whoever calls. The rules: docs/domain.md,
"Scoring and ranking".

One module per part; every public name is re-exported here, so callers write
``from pledges.scoring import services`` and ``services.sheet_submit(...)``:

* ``common`` — reading and printing points, the states every change checks;
* ``table`` — the table, its settings, groups and criteria;
* ``sheets`` — opening scoring, the cross-review assignment, the sheets and their review;
* ``ranking`` — finalising, reopening and entering a ranking directly.
"""

from .common import (
    group_maximum_errors,
    maximum_parse,
    points_parse,
    points_text,
    score_bounds_error,
)
from .ranking import (
    DirectEntry,
    ranking_enter_directly,
    ranking_finalise,
    ranking_reopen,
)
from .sheets import (
    ReviewScoreInput,
    SelfScoreInput,
    review_assignment_propose,
    review_assignment_set,
    review_scores_save,
    score_evidence_add,
    score_evidence_attach,
    score_sheet_create,
    scoring_open,
    self_scores_save,
    sheet_return,
    sheet_review_finish,
    sheet_submit,
)
from .table import (
    criteria_reorder,
    criterion_add,
    criterion_edit,
    criterion_remove,
    group_add,
    group_edit,
    group_remove,
    groups_reorder,
    scoring_settings_save,
    scoring_table_copy,
    scoring_table_create,
)

__all__ = [
    "DirectEntry",
    "ReviewScoreInput",
    "SelfScoreInput",
    "criteria_reorder",
    "criterion_add",
    "criterion_edit",
    "criterion_remove",
    "group_add",
    "group_edit",
    "group_maximum_errors",
    "group_remove",
    "groups_reorder",
    "maximum_parse",
    "points_parse",
    "points_text",
    "ranking_enter_directly",
    "ranking_finalise",
    "ranking_reopen",
    "review_assignment_propose",
    "review_assignment_set",
    "review_scores_save",
    "score_bounds_error",
    "score_evidence_add",
    "score_evidence_attach",
    "score_sheet_create",
    "scoring_open",
    "scoring_settings_save",
    "scoring_table_copy",
    "scoring_table_create",
    "self_scores_save",
    "sheet_return",
    "sheet_review_finish",
    "sheet_submit",
]
