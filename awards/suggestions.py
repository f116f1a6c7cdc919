"""The ranking offered as an award's reason (lý do khen thưởng): "Xếp hạng Nhất Khối thi đua … năm 2020".

A suggestion is never a fact (docs/domain.md, "Award rules"): the forms show the line of the chosen unit
beside the reason field with a button that puts it in the field ("Chèn xếp hạng": in the page with
JavaScript, or by sending the form back, which saves nothing). It is saved only when the user then saves
the form with it in the field. The lines come from the bloc-year's final ranking, which the pledges app keeps
and the base app's registry passes on (``blocs.registry.rankings``): awards does not import pledges.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from blocs import registry


@dataclass
class RankingOffer:
    """What the reason field offers for one bloc-year: its state ("final", "reopened", "none"), and for a
    final ranking each member unit's line (``reasons``; a unit not ranked has its note instead)."""

    year: int
    bloc_name: str
    state: str = "none"
    reasons: dict[int, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return self.state == "final"

    def for_page(self) -> dict[str, dict[str, str]]:
        """The lines by unit id for the page's script (JSON keys are strings)."""
        return {
            str(unit_id): {"reason": self.reasons.get(unit_id, ""), "note": self.notes.get(unit_id, "")}
            for unit_id in {*self.reasons, *self.notes}
        }


def ranking_offer(bloc_id: int, year: int) -> RankingOffer | None:
    """The offer of a bloc-year (None when no app keeps rankings, or the bloc is gone). Two queries."""
    ranking = registry.rankings({(bloc_id, year)}).get((bloc_id, year))
    if ranking is None:
        return None
    offer = RankingOffer(year=year, bloc_name=ranking.bloc_name, state=ranking.state)
    if ranking.is_final:
        for unit_id, line in ranking.lines.items():
            if line.reason:
                offer.reasons[unit_id] = line.reason
            else:
                offer.notes[unit_id] = _("%(unit)s is not ranked: %(reason)s.") % {
                    "unit": line.unit_name,
                    "reason": line.not_ranked,
                }
    return offer


def reason_line(offer: RankingOffer | None, *, unit_id: int | None, for_unit: bool = True) -> tuple[str, str]:
    """The line to insert for ``unit_id`` and, when there is none, why (a message for the page).
    ``for_unit`` False: the proposal is for a person or a collective inside the unit, which the ranking
    does not rank."""
    if not for_unit:
        return "", _("The ranking ranks member units: it is offered for a proposal for the unit itself.")
    if offer is None:
        return "", _("Choose the bloc and the year of the ranking.")
    if offer.state == "reopened":
        return "", _("The ranking of %(year)s of %(bloc)s was reopened: there is no final ranking to cite.") % {
            "year": offer.year,
            "bloc": offer.bloc_name,
        }
    if not offer.is_final:
        return "", _("%(bloc)s has not finalised its ranking of %(year)s yet: there is no ranking to cite.") % {
            "year": offer.year,
            "bloc": offer.bloc_name,
        }
    if unit_id is None:
        return "", _("Choose the unit first.")
    if unit_id in offer.reasons:
        return offer.reasons[unit_id], ""
    if unit_id in offer.notes:
        return "", offer.notes[unit_id]
    return "", _("The unit has no line in the final ranking of %(year)s.") % {"year": offer.year}


def reason_with(current: str, line: str) -> str:
    """The reason field with ``line`` put in: the line alone in an empty field, else on a line of its own
    after what is typed (kept whole), unless it is there already."""
    if line in current:
        return current
    text = current.rstrip()
    return f"{text}\n{line}" if text else line
