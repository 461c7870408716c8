"""The wire's shared sections read as domain values: offender, MAPPA, risk, move, review."""

from __future__ import annotations

from collections.abc import Sequence

from consumers.translation import enums
from ownership.domain.places import Address, RegularPlace
from ownership.domain.review_report import ReviewReport
from ownership.domain.values import (
    Contact,
    MappaManagement,
    MoveKind,
    MovePlan,
    OffenderIdentity,
    OffenderProfile,
    RiskAssessment,
    SafetyWarnings,
)
from schemas.models import common as wire

UNDETAILED_WARNING = "officer safety warning given without details: ask the owning force"
"""Kept as the one issue when a message flags officer safety but gives no notes."""


def profile(
    offender: wire.OffenderDetails,
    mappa: wire.MappaDetails | None,
    visor_reference: str | None = None,
) -> OffenderProfile:
    """Who the offender is (with the ViSOR reference a notification carries from 2.1), and
    their MAPPA management if any."""
    name = offender.name
    identity = OffenderIdentity(
        family_name=name.family_name,
        given_names=name.given_names,
        date_of_birth=offender.date_of_birth,
        pnc_id=offender.pnc_id,
        visor_reference=visor_reference,
    )
    return OffenderProfile(
        category=enums.OFFENDER_CATEGORY[offender.category],
        mappa=mappa_management(mappa),
        identity=identity,
    )


def mappa_management(mappa: wire.MappaDetails | None) -> MappaManagement | None:
    """The MAPPA section, or None for an offender not managed under MAPPA."""
    if mappa is None:
        return None
    return MappaManagement(
        category=enums.MAPPA_CATEGORY[mappa.category],
        level=enums.MAPPA_LEVEL[mappa.level],
        lead_agency=enums.LEAD_AGENCY[mappa.lead_agency],
    )


def risk(section: wire.Risk) -> RiskAssessment:
    """The risk section."""
    tool = section.assessment_tool
    return RiskAssessment(
        level=enums.RISK_LEVEL[section.level],
        tool=enums.RISK_TOOL[tool] if tool is not None else None,
        assessed_on=section.assessed_on,
    )


def address(section: wire.Address) -> Address:
    """A postal address."""
    return Address(tuple(section.lines), section.town, section.postcode)


def plan(section: wire.PermanentMove | wire.TemporaryMove) -> MovePlan:
    """The move section: kind, destination and dates."""
    where = section.destination
    end = section.end_date if isinstance(section, wire.TemporaryMove) else None
    kind = MoveKind.TEMPORARY if end is not None else MoveKind.PERMANENT
    if isinstance(where, wire.Address):
        return MovePlan(kind, section.expected_date, new_address=address(where), end_date=end)
    place = RegularPlace(where.description, where.town, where.postcode)
    return MovePlan(kind, section.expected_date, place_regularly_found=place, end_date=end)


def safety(section: wire.SafetyFlags) -> SafetyWarnings:
    """The safety section; each line of the notes is kept as a warning (safer to over-warn)."""
    issues = tuple(line.strip() for line in (section.notes or "").splitlines() if line.strip())
    if section.officer_safety and not issues:
        issues = (UNDETAILED_WARNING,)
    return SafetyWarnings(officer_safety_issues=issues, threat_to_life=section.threat_to_life)


def report(section: wire.Review) -> ReviewReport:
    """What the owner's review found and which checks it made."""
    made = section.checklist.model_dump()
    return ReviewReport(
        method=enums.REVIEW_METHOD[section.method],
        completed_on=section.completed_on,
        outcome=enums.REVIEW_OUTCOME[section.outcome],
        checks=frozenset(check for name, check in enums.REVIEW_CHECK.items() if made[name]),
        notes=section.notes or "",
    )


def contact(person: wire.Contact) -> Contact:
    """One contact."""
    return Contact(
        name=person.name,
        role=person.role,
        organisation=person.organisation,
        telephone=person.phone,
        email=person.email or "",
    )


def contacts(people: Sequence[wire.Contact]) -> tuple[Contact, ...]:
    """Every contact, in the order sent."""
    return tuple(contact(person) for person in people)
