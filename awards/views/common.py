"""What every awards page shares: one way to fetch each guarded object (404 for what the user may
not see, 403 for what the user sees but may not change), the live findings, the refusal message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from blocs import access
from blocs.models import Bloc
from blocs.web import bloc_year_or_404

from .. import registry, suggestions
from ..models import Proposal
from ..rules import findings_summary, proposals_rule_checks

Status = Proposal.Status


def _bloc_year(request, pk: int, year: int, *, manage: bool = False) -> Bloc:
    """The bloc, if the user may read its ``year`` (404 otherwise, and for a year that is not one of the
    bloc's: ``bloc_year_or_404``); with ``manage``, 403 unless the user manages that year (officers, the
    year's chair and vice-chairs)."""
    bloc = access.bloc_for_viewing(request.user, pk)
    bloc_year_or_404(bloc, year)
    if not access.can_read_bloc_year(request.user, bloc, year):
        raise Http404
    if manage and not access.can_manage_bloc_year(request.user, bloc, year):
        raise PermissionDenied
    return bloc


def _proposal(request, pk: int, *, manage: bool = False, review: bool = False) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.with_related().select_related("council", "bloc__council", "person__unit"), pk=pk
    )
    user = request.user
    if proposal.bloc_id is None:
        # Entered from outside without a bloc: the Board's record.
        if not access.is_officer_of(user, proposal.council_id):
            raise Http404
    elif not access.can_read_bloc_year(user, proposal.bloc, proposal.year):
        raise Http404
    if manage and not (proposal.bloc_id and access.can_manage_bloc_year(user, proposal.bloc, proposal.year)):
        raise PermissionDenied
    if review and not access.is_officer_of(user, proposal.council_id):
        raise PermissionDenied
    return proposal


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(str(m) for m in error.messages))


def _officer_council(request):
    return access.council_for_officer(request.user)


def _with_findings(proposals: list[Proposal]) -> list[Proposal]:
    """Attach each proposal's live findings, their counts and every rule that applies with whether it holds
    (``rule_checks``; None once nothing is checked any more): a fixed number of queries for the lot."""
    findings, checks = proposals_rule_checks(proposals=proposals)
    for proposal in proposals:
        proposal.findings = findings[proposal.pk]
        proposal.finding_counts = findings_summary(proposal.findings)
        proposal.rule_checks = checks[proposal.pk]
    return proposals


def _safe_next(request) -> bool:
    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


def _with_links(proposals: list[Proposal]) -> None:
    """Attach each proposal's conference link (its bloc-year's year-end minutes, from the app that records
    conferences: ``awards.registry``): one call for the lot."""
    links = registry.conference_links({(p.bloc_id, p.year) for p in proposals if p.bloc_id})
    for proposal in proposals:
        proposal.conference_link = links.get((proposal.bloc_id, proposal.year)) if proposal.bloc_id else None


def posted_values(request) -> dict[str, str]:
    """The form's values as posted, to show them again in an unbound form (nothing is checked or saved)."""
    skipped = {"csrfmiddlewaretoken", INSERT_RANKING}
    return {key: request.POST.get(key, "") for key in request.POST if key not in skipped}


# The button that puts the chosen unit's ranking into the reason field, without JavaScript.
INSERT_RANKING = "insert_ranking"


def ranking_inserted(request, offer, *, unit_id: int | None, for_unit: bool, values: dict[str, str]) -> dict[str, str]:
    """The posted values with the unit's line of the final ranking put in the reason field, and a message
    saying that nothing is saved until the user saves — or why there is no line to put in."""
    line, problem = suggestions.reason_line(offer, unit_id=unit_id, for_unit=for_unit)
    if problem:
        messages.warning(request, problem)
        return values
    values = {**values, "award_reason": suggestions.reason_with(values.get("award_reason", ""), line)}
    messages.info(request, _("The ranking is in the reason field. Nothing is saved until you save."))
    if request.FILES:
        messages.warning(request, _("The file you chose was not sent: choose it again before you save."))
    return values
