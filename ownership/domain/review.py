"""The pre-transfer review checklist: what the guidance asks for, who did it, and when.

Before a transfer the owning force reviews the offender (a home visit, or asking the
offender to attend the police station), makes its checks, assesses risk and threats to life,
records the outcome and discusses it with the receiving force. Which items are mandatory
depends on the offender's category and on whether the case is managed under MAPPA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ownership.domain.errors import ReviewEvidenceInvalidError, ReviewItemAlreadyCompleteError
from ownership.domain.values import OffenderCategory, OffenderProfile
from ownership.domain.visits import Visit


class ReviewItem(StrEnum):
    """One item of the pre-transfer review."""

    REVIEW_MEETING = "review_meeting"
    TWO_PERSON_VISIT = "two_person_visit"
    VISOR_CHECKED = "visor_checked"
    PNC_CHECKED = "pnc_checked"
    LOCAL_INTELLIGENCE_CHECKED = "local_intelligence_checked"
    OFFICER_SAFETY_RECORDED = "officer_safety_recorded"
    RISK_ASSESSED = "risk_and_threat_to_life_assessed"
    OUTCOME_RECORDED = "outcome_recorded"
    OUTCOME_DISCUSSED = "outcome_discussed_with_receiving_force"
    MAPPA_LEAD_AGENCY_INFORMED = "mappa_lead_agency_informed"
    ADDRESS_VERIFIED = "new_address_verified"
    SAFEGUARDING_REFERRALS_MADE = "safeguarding_referrals_made"
    VISOR_UPDATED = "visor_record_updated"


_CHECKS_AND_OUTCOME = frozenset(
    {
        ReviewItem.VISOR_CHECKED,
        ReviewItem.PNC_CHECKED,
        ReviewItem.LOCAL_INTELLIGENCE_CHECKED,
        ReviewItem.OFFICER_SAFETY_RECORDED,
        ReviewItem.RISK_ASSESSED,
        ReviewItem.OUTCOME_RECORDED,
        ReviewItem.OUTCOME_DISCUSSED,
    }
)
_VISITED = _CHECKS_AND_OUTCOME | {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT}

# A potentially dangerous person is under no duty to meet the police or let them in, so the
# review meeting and the home visit are good practice for a PDP rather than a precondition.
_MANDATORY_BY_CATEGORY = {
    OffenderCategory.REGISTERED_SEX_OFFENDER: _VISITED,
    OffenderCategory.VIOLENT_OFFENDER: _VISITED,
    OffenderCategory.POTENTIALLY_DANGEROUS_PERSON: _CHECKS_AND_OUTCOME,
}


def mandatory_items(profile: OffenderProfile) -> frozenset[ReviewItem]:
    """The items that must be complete before a transfer of this offender is notified."""
    items = _MANDATORY_BY_CATEGORY[profile.category]
    if profile.is_mappa_case:
        return items | {ReviewItem.MAPPA_LEAD_AGENCY_INFORMED}
    return items


@dataclass(frozen=True)
class ReviewEntry:
    """A completed review item: who did it, when, what was found, and the visit if any."""

    item: ReviewItem
    done_by: str
    done_at: datetime
    note: str = ""
    visit_id: str | None = None


@dataclass
class ReviewChecklist:
    """The review of one transfer; entries are appended, never overwritten."""

    entries: list[ReviewEntry] = field(default_factory=list)

    def entry(self, item: ReviewItem) -> ReviewEntry | None:
        """The completion of ``item``, if it has been done."""
        return next((e for e in self.entries if e.item is item), None)

    def outstanding(self, profile: OffenderProfile) -> frozenset[ReviewItem]:
        """Mandatory items not yet done."""
        return mandatory_items(profile) - {e.item for e in self.entries}

    def is_complete(self, profile: OffenderProfile) -> bool:
        """Whether every mandatory item is done."""
        return not self.outstanding(profile)

    @property
    def outcome(self) -> str | None:
        """The recorded outcome of the review, carried by the notification."""
        recorded = self.entry(ReviewItem.OUTCOME_RECORDED)
        return recorded.note if recorded else None

    def complete(self, entry: ReviewEntry, visit: Visit | None) -> None:
        """Add ``entry`` after checking it is new and its evidence satisfies the item."""
        if self.entry(entry.item) is not None:
            raise ReviewItemAlreadyCompleteError(f"{entry.item} is already complete")
        check_evidence(entry, visit)
        self.entries.append(entry)


def check_evidence(entry: ReviewEntry, visit: Visit | None) -> None:
    """Raise ReviewEvidenceInvalidError unless ``entry`` carries what its item needs."""
    if entry.visit_id is not None and visit is None:
        raise ReviewEvidenceInvalidError(f"no visit {entry.visit_id} is recorded")
    if entry.item is ReviewItem.REVIEW_MEETING:
        _check_review_meeting(entry, visit)
    elif entry.item is ReviewItem.TWO_PERSON_VISIT:
        _check_two_person_visit(visit)
    elif entry.item in {ReviewItem.OUTCOME_RECORDED, ReviewItem.OUTCOME_DISCUSSED}:
        _require_note(entry, "the outcome and with whom it was discussed")


def _check_review_meeting(entry: ReviewEntry, visit: Visit | None) -> None:
    if visit is None:
        _require_note(entry, "how the offender attended the police station")
    elif not visit.entry_obtained:
        raise ReviewEvidenceInvalidError("a home visit reviews the offender only if it got in")


def _check_two_person_visit(visit: Visit | None) -> None:
    if visit is None:
        raise ReviewEvidenceInvalidError("the two-person visit item names the visit")
    if not visit.meets_two_person_rule:
        raise ReviewEvidenceInvalidError(
            "the visit needs two visitors, one an accredited offender manager"
        )


def _require_note(entry: ReviewEntry, what: str) -> None:
    if not entry.note.strip():
        raise ReviewEvidenceInvalidError(f"{entry.item} needs a note: {what}")
