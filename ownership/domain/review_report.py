"""What the receiving force is told of the owner's pre-transfer review.

The owner's checklist records who did each item and when; the receiver is told how the
offender was reviewed, when, what it found, and which of the guidance's checks were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from ownership.domain.review import ReviewChecklist, ReviewEntry, ReviewItem


class ReviewMethod(StrEnum):
    """How the offender was reviewed: a home visit, or attendance at the police station."""

    HOME_VISIT = "home_visit"
    STATION_ATTENDANCE = "station_attendance"


class ReviewOutcome(StrEnum):
    """What the review found, as the owning force's coordinator states it on notifying."""

    NO_CONCERNS = "no_concerns"
    CONCERNS_IDENTIFIED = "concerns_identified"


class ReviewCheck(StrEnum):
    """A check of the home-visits guidance's pre-transfer checklist, as told to the receiver."""

    IDENTITY_CONFIRMED = "identity_confirmed"
    NEW_ADDRESS_VERIFIED = "new_address_verified"
    RISK_ASSESSMENT_UPDATED = "risk_assessment_updated"
    MAPPA_LEAD_AGENCY_INFORMED = "mappa_lead_agency_informed"
    RECEIVING_FORCE_CONSULTED = "receiving_force_consulted"
    SAFEGUARDING_REFERRALS_MADE = "safeguarding_referrals_made"
    VISOR_RECORD_UPDATED = "visor_record_updated"


CHECK_MADE_BY: Mapping[ReviewItem, ReviewCheck | None] = MappingProxyType(
    {
        # Meeting the offender, at home or at the station, is what confirms who they are.
        ReviewItem.REVIEW_MEETING: ReviewCheck.IDENTITY_CONFIRMED,
        ReviewItem.TWO_PERSON_VISIT: None,
        ReviewItem.VISOR_CHECKED: None,
        ReviewItem.PNC_CHECKED: None,
        ReviewItem.LOCAL_INTELLIGENCE_CHECKED: None,
        ReviewItem.OFFICER_SAFETY_RECORDED: None,
        ReviewItem.RISK_ASSESSED: ReviewCheck.RISK_ASSESSMENT_UPDATED,
        ReviewItem.OUTCOME_RECORDED: None,
        ReviewItem.OUTCOME_DISCUSSED: ReviewCheck.RECEIVING_FORCE_CONSULTED,
        ReviewItem.MAPPA_LEAD_AGENCY_INFORMED: ReviewCheck.MAPPA_LEAD_AGENCY_INFORMED,
        ReviewItem.ADDRESS_VERIFIED: ReviewCheck.NEW_ADDRESS_VERIFIED,
        ReviewItem.SAFEGUARDING_REFERRALS_MADE: ReviewCheck.SAFEGUARDING_REFERRALS_MADE,
        ReviewItem.VISOR_UPDATED: ReviewCheck.VISOR_RECORD_UPDATED,
    }
)
"""The guidance check each review item makes, if any; every item is listed."""


@dataclass(frozen=True)
class ReviewReport:
    """The review as told to the receiving force; ``notes`` are need-to-know findings."""

    method: ReviewMethod
    completed_on: date
    outcome: ReviewOutcome
    checks: frozenset[ReviewCheck]
    notes: str = ""


def checks_made(entries: Iterable[ReviewEntry]) -> frozenset[ReviewCheck]:
    """The guidance checks that the completed items make."""
    return frozenset(c for e in entries if (c := CHECK_MADE_BY[e.item]) is not None)


def review_method(checklist: ReviewChecklist) -> ReviewMethod | None:
    """How the offender was reviewed, from the review meeting or the two-person visit."""
    meeting = checklist.entry(ReviewItem.REVIEW_MEETING)
    if meeting is not None:
        visited = meeting.visit_id is not None
        return ReviewMethod.HOME_VISIT if visited else ReviewMethod.STATION_ATTENDANCE
    if checklist.entry(ReviewItem.TWO_PERSON_VISIT) is not None:
        return ReviewMethod.HOME_VISIT
    return None


def report_review(
    checklist: ReviewChecklist,
    outcome: ReviewOutcome | None,
    method: ReviewMethod | None = None,
) -> ReviewReport | None:
    """The report of a complete review, or None while the method or outcome is not known."""
    method = method or review_method(checklist)
    if method is None or outcome is None or not checklist.entries:
        return None
    return ReviewReport(
        method=method,
        completed_on=max(e.done_at for e in checklist.entries).date(),
        outcome=outcome,
        checks=checks_made(checklist.entries),
        notes=checklist.outcome or "",
    )
