"""Changes of the awards app: keyword-only, typed, atomic, composable (an outer service — the meetings
app recording a conference — may wrap several in one ``transaction.atomic()``).

Permissions are the views' business (``blocs.access``); the services check the state of things and
refuse a change that breaks a rule with a ``ValidationError`` whose messages say what and why, changing
nothing. One module per sub-domain; every public name is re-exported here, so callers write
``from awards import services`` and ``services.proposal_save(...)``:

* ``states`` — the proposal's states and the one way to move between them;
* ``catalogue`` — award types, rules, registrations (deadlines are ``blocs.services.deadline_set``);
* ``proposals`` — people and the bloc's drafts;
* ``submissions`` — the dossier check, the submission and its cover letter;
* ``decisions`` — the Board's review, its decisions and corrections, the bloc's own awards;
* ``external`` — awards decided outside the portal.
"""

from .catalogue import (
    award_catalogue_install,
    award_rule_delete,
    award_rule_save,
    award_type_save,
    registration_add,
    registration_find,
    registration_remove,
)
from .decisions import (
    bloc_award_decide,
    decision_correct,
    decision_record,
    proposal_approve,
    proposal_reject,
    proposal_return,
    proposal_review_many,
)
from .external import award_enter_external
from .proposals import Tally, person_get_or_create, proposal_delete, proposal_find, proposal_reason_set, proposal_save
from .states import TRANSITIONS, Status
from .submissions import (
    CoverLetterUnavailable,
    dossier_check,
    submission_cover_issue,
    submission_cover_number_peek,
    submission_create,
    submission_draft,
    submission_problems,
)

__all__ = [
    "Status",
    "Status",
    "TRANSITIONS",
    "award_catalogue_install",
    "award_type_save",
    "award_rule_save",
    "award_rule_delete",
    "registration_add",
    "registration_find",
    "registration_remove",
    "person_get_or_create",
    "Tally",
    "proposal_find",
    "proposal_save",
    "proposal_reason_set",
    "proposal_delete",
    "dossier_check",
    "submission_problems",
    "submission_create",
    "submission_draft",
    "CoverLetterUnavailable",
    "submission_cover_issue",
    "submission_cover_number_peek",
    "proposal_return",
    "proposal_approve",
    "proposal_reject",
    "proposal_review_many",
    "decision_record",
    "decision_correct",
    "bloc_award_decide",
    "award_enter_external",
]
