"""The demo's cover letters (tờ trình: one issued, one still a draft) and the council's proposal list, an
annex without national header or number."""

from __future__ import annotations

from awards import printing, selectors
from awards.models import Proposal, Submission
from documents.services import number_format

from . import ISSUE_DAY, Sample

KINDS = ["cover letter (issued)", "cover letter (draft)", "proposal list"]


def build() -> dict[str, Sample]:
    samples = {}
    submissions = Submission.objects.select_related("bloc__council", "document").order_by("pk")
    issued = submissions.filter(document__isnull=False).first()
    if issued is not None:
        content = printing.cover_letter_content(submission=issued)
        samples["cover letter (issued)"] = Sample(content, issued.document.number_text)
    draft = submissions.filter(document__isnull=True).first()
    if draft is not None:
        content = printing.cover_letter_content(submission=draft)
        number_text = number_format(number=None, doc_type=printing.COVER_LETTER_TYPE, issuer_code=draft.bloc.code)
        samples["cover letter (draft)"] = Sample(content, number_text)
    if issued is not None:
        council, year = issued.bloc.council, issued.year
        proposals = list(selectors.council_award_list(council=council, year=year, statuses=list(Proposal.Status)))
        content = printing.list_content(council=council, year=year, proposals=proposals, today=ISSUE_DAY)
        samples["proposal list"] = Sample(content, "")
    return samples
