"""An amendment as another force sends it: the sections of the details it replaces.

The owner amends by sending whole details; a receiver applies only the sections the message
carries, keeping the rest as notified. ``None`` means "unchanged".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ownership.domain.review_report import ReviewReport
from ownership.domain.values import (
    Contact,
    MappaManagement,
    MoveDetails,
    MovePlan,
    RiskAssessment,
    SafetyWarnings,
)


@dataclass(frozen=True)
class DetailsAmendment:
    """Replacement sections of a transfer's details; at least one is present."""

    move: MovePlan | None = None
    risk: RiskAssessment | None = None
    safety: SafetyWarnings | None = None
    contacts: tuple[Contact, ...] | None = None
    mappa: MappaManagement | None = None
    review: ReviewReport | None = None

    @classmethod
    def whole(cls, details: MoveDetails) -> DetailsAmendment:
        """An amendment replacing every section that ``details`` holds."""
        return cls(details.plan, details.risk, details.safety, details.contacts or None)

    def apply_to(self, details: MoveDetails) -> MoveDetails:
        """``details`` with this amendment's move, risk, safety and contacts sections."""
        changed = details
        if (move := self.move) is not None:
            changed = replace(
                changed,
                kind=move.kind,
                expected_date=move.expected_date,
                new_address=move.new_address,
                place_regularly_found=move.place_regularly_found,
                end_date=move.end_date,
            )
        if (risk := self.risk) is not None:
            changed = replace(
                changed,
                risk_level=risk.level,
                risk_tool=risk.tool,
                risk_assessed_on=risk.assessed_on,
            )
        if (safety := self.safety) is not None:
            changed = replace(
                changed,
                officer_safety_issues=safety.officer_safety_issues,
                threat_to_life=safety.threat_to_life,
            )
        if self.contacts is not None:
            changed = replace(changed, contacts=self.contacts)
        return changed
