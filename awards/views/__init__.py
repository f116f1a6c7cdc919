"""Pages of the awards app. Thin: parse the form, check permission (``blocs.access``), call a service,
redirect with a message. A service's refusal (``ValidationError``) becomes form errors or a message and
changes nothing. One module per sub-domain, as ``awards.services``; the URLs name the views re-exported here.

Who may do what (docs/domain.md): officers of the council review, return, approve, reject and decide,
and keep the catalogue, rules and deadlines; the chair and vice-chairs of year Y manage Y's proposals
until decided (``can_manage_bloc_year``), even after Y+1's seats exist; members read the proposals of
the years they were members and register their own unit's titles. Anyone else gets a 404 for a bloc they
do not belong to; a known user without the right to change something gets a 403.
"""

from .catalogue import (
    catalogue,
    registration_delete,
    registrations,
    rule_create,
    rule_delete,
    rule_edit,
    type_create,
    type_edit,
)
from .decisions import (
    award_list,
    award_list_docx,
    award_list_pdf,
    award_list_xlsx,
    decision_correct,
    decision_create,
    decision_detail,
    decision_list,
    proposal_approve,
    proposal_reject,
    proposal_return,
    review_many,
    review_queue,
)
from .external import external_create, external_import, external_import_template
from .proposals import (
    bloc_year,
    index,
    person_detail,
    proposal_create,
    proposal_delete,
    proposal_detail,
    proposal_edit,
    proposal_reason,
    proposal_report,
)
from .submissions import (
    bloc_award_decide,
    submission_cover_docx,
    submission_cover_issue,
    submission_cover_pdf,
    submission_create,
    submission_detail,
    submission_preview_docx,
    submission_preview_pdf,
)

__all__ = [
    "catalogue",
    "type_create",
    "type_edit",
    "rule_create",
    "rule_edit",
    "rule_delete",
    "registrations",
    "registration_delete",
    "index",
    "bloc_year",
    "proposal_create",
    "proposal_edit",
    "proposal_detail",
    "proposal_delete",
    "proposal_reason",
    "proposal_report",
    "person_detail",
    "submission_create",
    "submission_detail",
    "submission_cover_docx",
    "submission_cover_pdf",
    "submission_preview_docx",
    "submission_preview_pdf",
    "submission_cover_issue",
    "bloc_award_decide",
    "proposal_return",
    "proposal_approve",
    "proposal_reject",
    "review_queue",
    "review_many",
    "decision_list",
    "decision_create",
    "decision_detail",
    "decision_correct",
    "award_list",
    "award_list_xlsx",
    "award_list_docx",
    "award_list_pdf",
    "external_create",
    "external_import",
    "external_import_template",
]
