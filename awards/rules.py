"""Rule evaluation: what an officer's rules (``AwardRule`` rows) say about a proposal, and why.

``proposal_check(proposal=…)`` returns the findings of one proposal; ``proposals_check(proposals=…)``
those of many, reading everything in a fixed number of queries (the bloc-year page and the review queue
call it for a whole page of proposals). Each ``RuleFinding`` says exactly what fails, with the numbers,
whether it blocks or is a warning, and whether the chair wrote a reason for the warning.

Checks are run in one of three phases, because "a proposal for the required award in the same
submission counts" means different things over time:

* ``DRAFT`` — live, on the pages: a proposal for the required award in the same bloc-year that is not
  rejected counts (it would go out in the same submission).
* ``SUBMIT`` — when a batch is submitted: the required proposal must be in the batch or already
  submitted or approved.
* ``DECIDE`` — when a decision is recorded: the required award must be decided already, or be decided
  by the same decision (the order is checked again).

Which rules apply: the rules of the proposal's award type; where the bloc has rules of its own of one kind
(threshold, quota, eligibility, rank, score), they replace the council-wide rules of that kind.

Rank and score rules read the bloc-year's stored ranking (``blocs.registry.rankings``; the pledges app keeps
it): only a final ranking counts, in every phase. They apply to a proposal for a member unit itself — a
person or a collective named inside a unit is not what the ranking ranks, so they are not checked on those
(docs/domain.md, "Award rules").

Built in, not configurable: a proposal for a title its unit did not register for (đăng ký thi đua) at the
start of the year is a warning needing a reason (a unit may register late, and the chair says why).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from blocs import registry
from blocs.models import Membership
from blocs.text import fold

from .models import AwardRule, Proposal, Registration, percent_text, rank_range_text, score_text

ERROR = AwardRule.Severity.ERROR
WARNING = AwardRule.Severity.WARNING
REGISTRATION_KEY = "registration"
# The kinds of rule that read the bloc-year's final ranking.
RANKING_KINDS = (AwardRule.Kind.RANK, AwardRule.Kind.SCORE)


class Phase(enum.Enum):
    DRAFT = "draft"
    SUBMIT = "submit"
    DECIDE = "decide"


@dataclass(frozen=True)
class RuleFinding:
    """One failed condition of one proposal."""

    key: str  # stable: "rule:<id>" or "registration"; the chair's reason is stored under it
    kind: str  # AwardRule.Kind value or "registration"
    severity: str  # AwardRule.Severity value
    message: str
    reason: str = ""  # the chair's written reason, for a warning

    @property
    def is_blocking(self) -> bool:
        return self.severity == ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    @property
    def has_reason(self) -> bool:
        return bool(self.reason.strip())

    @property
    def prevents_submission(self) -> bool:
        """Blocking findings always; warnings until a reason is written."""
        return self.is_blocking or not self.has_reason


# ------------------------------------------------------------------------------------------------------
# The context: everything the checks read, loaded once for a set of proposals
# ------------------------------------------------------------------------------------------------------


# Who a proposal is for, as Proposal.recipient_key() says it: ("unit", id), ("collective", unit id, folded
# name) or ("person", id).
Recipient = tuple[Any, ...]


@dataclass(frozen=True)
class _Sibling:
    """What the checks need of another proposal (read with values(), no model instances)."""

    pk: int
    bloc_id: int | None
    year: int
    award_type_id: int
    recipient: Recipient
    status: str


def _recipient(unit_id: int | None, collective_name: str, person_id: int | None) -> Recipient:
    # Matches Proposal.recipient_key(); collective names compare folded so "Phòng tổng hợp" = "Phòng Tổng hợp".
    if person_id:
        return ("person", person_id)
    if collective_name:
        return ("collective", unit_id, fold(collective_name))
    return ("unit", unit_id)


_SIBLING_FIELDS = ("pk", "bloc_id", "year", "award_type_id", "unit_id", "collective_name", "person_id", "status")


def _sibling(row: tuple[Any, ...]) -> _Sibling:
    pk, bloc_id, year, type_id, unit_id, collective_name, person_id, status = row
    return _Sibling(pk, bloc_id, year, type_id, _recipient(unit_id, collective_name, person_id), status)


class RuleContext:
    """Rules, member counts, sibling proposals, decided awards and registrations of a set of proposals.

    Six queries whatever the number of proposals, blocs and years, and two more for the rankings when a
    rank or score rule applies to one of them.
    """

    def __init__(self, proposals: list[Proposal]):
        council_ids = {p.council_id for p in proposals}
        bloc_ids = {p.bloc_id for p in proposals if p.bloc_id}
        years = {p.year for p in proposals}

        self.rules: dict[int, list[AwardRule]] = defaultdict(list)
        for rule in AwardRule.objects.filter(award_type__council_id__in=council_ids).select_related("requires_type"):
            self.rules[rule.award_type_id].append(rule)

        self._memberships: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
        for bloc_id, first, last in Membership.objects.filter(bloc_id__in=bloc_ids).values_list(
            "bloc_id", "first_year", "last_year"
        ):
            self._memberships[bloc_id].append((first, last))

        # Proposals of the same bloc-years (for quotas and same-submission eligibility).
        self.by_bloc_year: dict[tuple[int, int], list[_Sibling]] = defaultdict(list)
        for row in (
            Proposal.objects.filter(bloc_id__in=bloc_ids, year__in=years).counting().values_list(*_SIBLING_FIELDS)
        ):
            sibling = _sibling(row)
            self.by_bloc_year[(sibling.bloc_id, sibling.year)].append(sibling)

        # Decided awards of the required types in those years, from any bloc or entered from outside.
        required = {r.requires_type_id for rules in self.rules.values() for r in rules if r.requires_type_id}
        self.decided: dict[tuple[int, int], set[Recipient]] = defaultdict(set)  # (type, year) -> recipients
        if required:
            for row in (
                Proposal.objects.filter(award_type_id__in=required, year__in=years)
                .decided()
                .values_list(*_SIBLING_FIELDS)
            ):
                sibling = _sibling(row)
                self.decided[(sibling.award_type_id, sibling.year)].add(sibling.recipient)

        ranked = {
            (p.bloc_id, p.year)
            for p in proposals
            if _ranking_applies(p) and any(r.kind in RANKING_KINDS for r in self.rules.get(p.award_type_id, []))
        }
        self.rankings: dict[tuple[int, int], registry.BlocYearRanking] = registry.rankings(ranked) if ranked else {}

        self.registered: set[tuple[int, int, int, int]] = set(
            Registration.objects.filter(bloc_id__in=bloc_ids, year__in=years).values_list(
                "bloc_id", "year", "unit_id", "award_type_id"
            )
        )

    def members(self, bloc_id: int, year: int) -> int:
        return sum(
            1 for first, last in self._memberships.get(bloc_id, []) if first <= year and (last is None or last >= year)
        )

    def rules_for(self, proposal: Proposal) -> list[AwardRule]:
        """The type's rules for the proposal's bloc: a bloc's own rules of a kind replace the council's."""
        rules = self.rules.get(proposal.award_type_id, [])
        own_kinds = {r.kind for r in rules if r.bloc_id is not None and r.bloc_id == proposal.bloc_id}
        ranked = _ranking_applies(proposal)
        return [
            r
            for r in rules
            if (
                (r.bloc_id is None and r.kind not in own_kinds)
                or (r.bloc_id is not None and r.bloc_id == proposal.bloc_id)
            )
            and (ranked or r.kind not in RANKING_KINDS)
        ]


# ------------------------------------------------------------------------------------------------------
# The checks
# ------------------------------------------------------------------------------------------------------


def proposal_check(
    *,
    proposal: Proposal,
    phase: Phase = Phase.DRAFT,
    batch: Iterable[Proposal] = (),
    context: RuleContext | None = None,
) -> list[RuleFinding]:
    """The findings of one proposal (empty: every rule holds). See ``proposals_check``."""
    batch = list(batch)
    return proposals_check(proposals=[proposal], phase=phase, batch=batch, context=context)[
        proposal.pk if proposal.pk else id(proposal)
    ]


def proposals_check(
    *,
    proposals: Iterable[Proposal],
    phase: Phase = Phase.DRAFT,
    batch: Iterable[Proposal] = (),
    context: RuleContext | None = None,
) -> dict[int, list[RuleFinding]]:
    """The findings of each proposal, keyed by its pk (by ``id()`` for an unsaved one).

    ``batch``: at SUBMIT, the proposals of the submission; at DECIDE, those of the decision. Proposals
    that are decided, rejected or entered from outside have no findings: nothing can change them any more.
    """
    proposals = list(proposals)
    batch_ids = {p.pk for p in batch}
    context = context or RuleContext(proposals)
    result: dict[int, list[RuleFinding]] = {}
    for proposal in proposals:
        key = proposal.pk if proposal.pk else id(proposal)
        finished = proposal.status in (Proposal.Status.DECIDED, Proposal.Status.REJECTED)
        if proposal.source == Proposal.Source.EXTERNAL or (finished and phase is Phase.DRAFT):
            result[key] = []
            continue
        findings = []
        for rule in context.rules_for(proposal):
            message = _check_rule(rule, proposal, context=context, phase=phase, batch_ids=batch_ids)
            if message:
                rule_key = f"rule:{rule.pk}"
                findings.append(
                    RuleFinding(
                        key=rule_key,
                        kind=rule.kind,
                        severity=WARNING if _tally_unknown_for(rule, proposal) else rule.severity,
                        message=message,
                        reason=str((proposal.warning_reasons or {}).get(rule_key, "")),
                    )
                )
        message = _check_registration(proposal, context=context)
        if message:
            findings.append(
                RuleFinding(
                    key=REGISTRATION_KEY,
                    kind="registration",
                    severity=WARNING,
                    message=message,
                    reason=str((proposal.warning_reasons or {}).get(REGISTRATION_KEY, "")),
                )
            )
        result[key] = findings
    return result


def _check_rule(rule: AwardRule, proposal: Proposal, *, context: RuleContext, phase: Phase, batch_ids: set[int]) -> str:
    if rule.kind == AwardRule.Kind.THRESHOLD:
        return _check_threshold(rule, proposal, context=context)
    if rule.kind == AwardRule.Kind.QUOTA:
        return _check_quota(rule, proposal, context=context)
    if rule.kind == AwardRule.Kind.ELIGIBILITY:
        return _check_eligibility(rule, proposal, context=context, phase=phase, batch_ids=batch_ids)
    if rule.kind in RANKING_KINDS:
        return _check_ranking(rule, proposal, context=context)
    return ""


def _tally_unknown_for(rule: AwardRule, proposal: Proposal) -> bool:
    """A vote-threshold rule on a tally "not recorded" (no counts, no acclamation: the record does not say)
    can be neither met nor failed: it is a warning whatever its severity, passed only with a written
    reason ("unknown is a valid answer": the portal records what happened, never an invented count)."""
    return (
        rule.kind == AwardRule.Kind.THRESHOLD
        and not proposal.acclamation
        and proposal.votes_for is None
        and proposal.ballots_cast is None
    )


def _check_threshold(rule: AwardRule, proposal: Proposal, *, context: RuleContext) -> str:
    needed = rule.text()
    if _tally_unknown_for(rule, proposal):
        return _("The tally was not recorded, so the rule (%(rule)s) cannot be checked: write the reason.") % {
            "rule": needed
        }
    if proposal.acclamation:
        if rule.acclamation_counts:
            return ""
        return _("Decided by acclamation, but this award needs a vote count: %(rule)s.") % {"rule": needed}
    if rule.base == AwardRule.Base.ALL_MEMBERS:
        base = context.members(proposal.bloc_id, proposal.year) if proposal.bloc_id else None
    elif rule.base == AwardRule.Base.MEMBERS_PRESENT:
        base = proposal.members_present
    else:
        base = proposal.ballots_cast
    if proposal.votes_for is None or base is None:
        return _("The tally is missing: enter the votes for and the %(base)s (the rule: %(rule)s).") % {
            "base": rule.base_label(),
            "rule": needed,
        }
    if rule.threshold_met(votes_for=proposal.votes_for, base=base):
        return ""
    share = Decimal(proposal.votes_for) * 100 / base if base else Decimal(0)
    return _("%(for)s votes for out of %(base_value)s %(base)s is %(share)s; the rule needs %(rule)s.") % {
        "for": proposal.votes_for,
        "base_value": base,
        "base": rule.base_label(),
        "share": percent_text(share),
        "rule": needed,
    }


def _check_quota(rule: AwardRule, proposal: Proposal, *, context: RuleContext) -> str:
    if not proposal.bloc_id:
        return ""
    members = context.members(proposal.bloc_id, proposal.year)
    allowed = rule.quota_of(members)
    count = sum(
        1
        for sibling in context.by_bloc_year.get((proposal.bloc_id, proposal.year), [])
        if sibling.award_type_id == proposal.award_type_id
    )
    if proposal.pk is None:
        count += 1  # the proposal being written takes a place too
    if count <= allowed:
        return ""
    if rule.quota_number is not None:
        how = _("a set number")
    else:
        how = _("%(percent)s of %(members)s members, rounded down") % {
            "percent": percent_text(rule.quota_percent),
            "members": members,
        }
    return _("The bloc proposes %(count)s for %(type)s in %(year)s; at most %(allowed)s are allowed (%(how)s).") % {
        "count": count,
        "type": proposal.award_type.name,
        "year": proposal.year,
        "allowed": allowed,
        "how": how,
    }


def _check_eligibility(
    rule: AwardRule, proposal: Proposal, *, context: RuleContext, phase: Phase, batch_ids: set[int]
) -> str:
    required = rule.requires_type_id
    recipient = proposal.recipient_key()
    if recipient in context.decided.get((required, proposal.year), set()):
        return ""
    pending = [
        s
        for s in context.by_bloc_year.get((proposal.bloc_id, proposal.year), [])
        if s.award_type_id == required and s.recipient == recipient and s.pk != proposal.pk
    ]
    values = {"recipient": proposal.recipient_name, "type": rule.requires_type.name, "year": proposal.year}
    if phase is Phase.DRAFT:
        if pending:
            return ""
        return (
            _(
                "%(recipient)s needs %(type)s of %(year)s: it has not been awarded, and it is not proposed "
                "in this bloc-year to go out in the same submission."
            )
            % values
        )
    if phase is Phase.SUBMIT:
        sent = (Proposal.Status.SUBMITTED, Proposal.Status.APPROVED)
        if any(s.pk in batch_ids or s.status in sent for s in pending):
            return ""
        return (
            _(
                "%(recipient)s needs %(type)s of %(year)s: it has not been awarded, and it is not proposed in "
                "this submission. Submit both together."
            )
            % values
        )
    # DECIDE: the required award must be decided first, or by the same decision.
    if any(s.pk in batch_ids for s in pending):
        return ""
    return (
        _("%(recipient)s needs %(type)s of %(year)s decided first: it is not decided yet and not in this decision.")
        % values
    )


def _ranking_applies(proposal: Proposal) -> bool:
    """A ranking ranks the bloc's member units: its rules concern a proposal for the unit itself."""
    return bool(proposal.bloc_id and proposal.unit_id and not proposal.person_id and not proposal.collective_name)


def _check_ranking(rule: AwardRule, proposal: Proposal, *, context: RuleContext) -> str:
    """A rank or score rule against the bloc-year's final ranking: what fails, with the numbers."""
    ranking = context.rankings.get((proposal.bloc_id, proposal.year))
    values: dict[str, Any] = {
        "bloc": ranking.bloc_name if ranking else proposal.bloc.name,
        "year": proposal.year,
        "rule": rule.text(),
        "unit": proposal.unit.name,
    }
    if ranking is None or ranking.state == "none":
        return (
            _("%(bloc)s has not finalised its ranking of %(year)s yet, so the rule (%(rule)s) cannot be met.") % values
        )
    if not ranking.is_final:
        return (
            _(
                "The ranking of %(year)s of %(bloc)s was reopened and is not final again yet, so the rule "
                "(%(rule)s) cannot be met."
            )
            % values
        )
    line = ranking.lines.get(proposal.unit_id)
    if line is None:
        return _("%(unit)s has no line in the final ranking of %(year)s of %(bloc)s; the rule: %(rule)s.") % values
    if line.rank is None:
        return _("%(unit)s is not ranked in %(year)s (%(reason)s); the rule: %(rule)s.") % {
            **values,
            "reason": line.not_ranked,
        }
    values["rank"] = line.rank
    if rule.kind == AwardRule.Kind.RANK:
        assert rule.rank_at_most is not None  # a rank rule names its rank (a check constraint)
        if line.rank <= rule.rank_at_most:
            return ""
        return _("%(unit)s is ranked %(rank)s in %(year)s; the rule needs rank %(ranks)s.") % {
            **values,
            "ranks": rank_range_text(rule.rank_at_most),
        }
    assert rule.minimum_score is not None  # a score rule names its score (a check constraint)
    values["minimum"] = score_text(rule.minimum_score)
    if line.final_score is None:
        return (
            _(
                "%(unit)s is ranked %(rank)s in %(year)s, but the ranking records no score for it; the rule needs "
                "a final score of at least %(minimum)s."
            )
            % values
        )
    if line.final_score >= rule.minimum_score:
        return ""
    return _("%(unit)s has a final score of %(score)s in %(year)s; the rule needs at least %(minimum)s.") % {
        **values,
        "score": score_text(line.final_score),
    }


def _registration_applies(proposal: Proposal) -> bool:
    """The registration check is about a member unit itself, for a title the Board awards."""
    return bool(
        proposal.bloc_id
        and not proposal.person_id
        and not proposal.collective_name
        and not proposal.award_type.is_bloc_issued
    )


def _check_registration(proposal: Proposal, *, context: RuleContext) -> str:
    """A member unit proposed for a title it did not register for (đăng ký thi đua): a warning."""
    if not _registration_applies(proposal):
        return ""
    if (proposal.bloc_id, proposal.year, proposal.unit_id, proposal.award_type_id) in context.registered:
        return ""
    return _("%(unit)s did not register for %(type)s in %(year)s (đăng ký thi đua).") % {
        "unit": proposal.unit.name,
        "type": proposal.award_type.name,
        "year": proposal.year,
    }


def findings_summary(findings: list[RuleFinding]) -> dict[str, int]:
    """Counts for badges: blocking, warnings without a reason, warnings with one."""
    return {
        "blocking": sum(1 for f in findings if f.is_blocking),
        "unexplained": sum(1 for f in findings if f.is_warning and not f.has_reason),
        "explained": sum(1 for f in findings if f.is_warning and f.has_reason),
    }


@dataclass(frozen=True)
class RuleCheck:
    """One rule that applies to a proposal, in words, and what it says of it: ``finding`` is None when it holds."""

    kind_label: str
    text: str
    finding: RuleFinding | None = None

    @property
    def holds(self) -> bool:
        return self.finding is None


def proposals_rule_checks(
    *, proposals: Iterable[Proposal], context: RuleContext | None = None
) -> tuple[dict[int, list[RuleFinding]], dict[int, list[RuleCheck] | None]]:
    """The findings of each proposal (``proposals_check``, DRAFT phase) and every rule that applies to it with
    whether it holds — a list the review queue shows, so a proposal every rule passes says which rules it
    passed instead of nothing. ``None`` for a proposal no rule is checked on any more (decided, rejected,
    entered from outside). One ``RuleContext`` for the lot: a fixed number of queries."""
    proposals = list(proposals)
    context = context or RuleContext(proposals)
    findings = proposals_check(proposals=proposals, context=context)
    checks: dict[int, list[RuleCheck] | None] = {}
    for proposal in proposals:
        key = proposal.pk if proposal.pk else id(proposal)
        finished = proposal.status in (Proposal.Status.DECIDED, Proposal.Status.REJECTED)
        if proposal.source == Proposal.Source.EXTERNAL or finished:
            checks[key] = None
            continue
        by_key = {finding.key: finding for finding in findings[key]}
        rows = [
            RuleCheck(kind_label=str(rule.get_kind_display()), text=rule.text(), finding=by_key.get(f"rule:{rule.pk}"))
            for rule in context.rules_for(proposal)
        ]
        if _registration_applies(proposal):
            rows.append(
                RuleCheck(
                    kind_label=_("Registration"),
                    text=_("registered for this title (đăng ký thi đua)"),
                    finding=by_key.get(REGISTRATION_KEY),
                )
            )
        checks[key] = rows
    return findings, checks
