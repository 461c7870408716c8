"""Domain values with every field the wire can carry filled in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ownership.domain.commands import RegisterOffender
from ownership.domain.places import Address, RegularPlace
from ownership.domain.record import OffenderRecord
from ownership.domain.review_report import ReviewCheck, ReviewMethod, ReviewOutcome, ReviewReport
from ownership.domain.transfer import Registration
from ownership.domain.values import (
    Contact,
    LeadAgency,
    MappaCategory,
    MappaLevel,
    MappaManagement,
    MoveDetails,
    MoveKind,
    OffenderCategory,
    OffenderIdentity,
    OffenderProfile,
    RiskLevel,
    RiskTool,
)

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
TODAY = T0.date()
REF = "GMP-2019-004512"
TID = "3b0e7f4c-2d6a-4f1b-8c9d-5e4a3b2c1d0e"
TID2 = "7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"
CAUSE = "0f8fad5b-d9cb-469f-a165-70867728950e"

IDENTITY = OffenderIdentity("Example", "Alan James", date(1979, 3, 14), "98/123456B")
PROFILE = OffenderProfile(
    OffenderCategory.REGISTERED_SEX_OFFENDER,
    MappaManagement(MappaCategory.FOUR, MappaLevel.TWO, LeadAgency.YOUTH_JUSTICE_SERVICE),
    IDENTITY,
)
PDP_PROFILE = OffenderProfile(
    OffenderCategory.POTENTIALLY_DANGEROUS_PERSON,
    identity=OffenderIdentity("Sample", "Mark", date(1985, 11, 2)),
)


def contact(force: str, name: str = "DC Priya Shah") -> Contact:
    """A contact at ``force`` with a telephone and an email."""
    return Contact(name, "MOSOVO officer", force, "0161 555 0100", f"{force.lower()}@example.uk")


PROBATION = Contact("Sam Okafor", "Probation officer", "Probation Service", "0161 555 0199")
ADDRESS = Address(("Flat 2", "14 Sample Street"), "Birmingham", "B4 6NQ")
PLACE = RegularPlace("Night shelter on Canal Road most nights", "Leeds")
REGISTRATION = Registration(TODAY + timedelta(days=15), "Birmingham Steelhouse Lane")


def details(*, temporary: bool = False, owner: str = "GMP") -> MoveDetails:
    """A move with every optional section filled in."""
    expected = TODAY + timedelta(days=14)
    return MoveDetails(
        kind=MoveKind.TEMPORARY if temporary else MoveKind.PERMANENT,
        expected_date=expected,
        risk_level=RiskLevel.HIGH,
        new_address=ADDRESS,
        end_date=expected + timedelta(days=90) if temporary else None,
        officer_safety_issues=("Has threatened officers with a knife", "Dog at the address"),
        threat_to_life=True,
        contacts=(contact(owner), PROBATION),
        risk_tool=RiskTool.OASYS_ROSH,
        risk_assessed_on=TODAY - timedelta(days=1),
        interpreter_language="Polish",
        registration_due_by=expected + timedelta(days=3),
    )


def place_details() -> MoveDetails:
    """A permanent move to a place regularly found, with nothing optional."""
    return MoveDetails(
        kind=MoveKind.PERMANENT,
        expected_date=TODAY + timedelta(days=7),
        risk_level=RiskLevel.LOW,
        place_regularly_found=PLACE,
        contacts=(contact("GMP"),),
    )


REPORT = ReviewReport(
    method=ReviewMethod.HOME_VISIT,
    completed_on=TODAY,
    outcome=ReviewOutcome.CONCERNS_IDENTIFIED,
    checks=frozenset({ReviewCheck.IDENTITY_CONFIRMED, ReviewCheck.RISK_ASSESSMENT_UPDATED}),
    notes="Lives with a new partner who has two children.",
)


def owner_record(force: str = "GMP", profile: OffenderProfile = PROFILE) -> OffenderRecord:
    """A record ``force`` owns at epoch 1."""
    cmd = RegisterOffender(reference=REF, by="officer", at=T0, profile=profile)
    return OffenderRecord.register(cmd, force)
