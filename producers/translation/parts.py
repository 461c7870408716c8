"""Domain values written as the wire's shared sections: offender, MAPPA, risk, move, review."""

from __future__ import annotations

from collections.abc import Sequence

from ownership.domain.places import Address, RegularPlace
from ownership.domain.review_report import ReviewReport
from ownership.domain.values import (
    Contact,
    MappaManagement,
    MoveDetails,
    MovePlan,
    OffenderProfile,
    RiskAssessment,
    SafetyWarnings,
)
from producers.translation.errors import UntranslatableEventError
from schemas.models import common as wire
from wire_enums import tables as enums


def offender_details(profile: OffenderProfile) -> wire.OffenderDetails:
    """Who the offender is; the identity must be known to tell another force."""
    identity = profile.identity
    if identity is None:
        raise UntranslatableEventError("the offender's identity is not recorded")
    return wire.OffenderDetails(
        category=enums.OFFENDER_CATEGORY[profile.category],
        name=wire.PersonName(family_name=identity.family_name, given_names=identity.given_names),
        date_of_birth=identity.date_of_birth,
        pnc_id=identity.pnc_id,
    )


def mappa_details(mappa: MappaManagement | None) -> wire.MappaDetails | None:
    """The MAPPA section, or None when the offender is not a MAPPA case."""
    if mappa is None:
        return None
    return wire.MappaDetails(
        category=enums.MAPPA_CATEGORY[mappa.category],
        level=enums.MAPPA_LEVEL[mappa.level],
        lead_agency=enums.LEAD_AGENCY[mappa.lead_agency],
    )


def risk(assessment: RiskAssessment) -> wire.Risk:
    """The risk section."""
    tool = enums.RISK_TOOL[assessment.tool] if assessment.tool is not None else None
    return wire.Risk(
        level=enums.RISK_LEVEL[assessment.level],
        assessment_tool=tool,
        assessed_on=assessment.assessed_on,
    )


def address(place: Address) -> wire.Address:
    """A postal address."""
    return wire.Address(
        kind="address", lines=list(place.lines), town=place.town, postcode=place.postcode
    )


def destination(plan: MovePlan) -> wire.Address | wire.RegularPlace:
    """The new address, or the place the offender can regularly be found."""
    if plan.new_address is not None:
        return address(plan.new_address)
    place = plan.place_regularly_found
    if not isinstance(place, RegularPlace):
        raise UntranslatableEventError("the move has no destination")
    return wire.RegularPlace(
        kind="place", description=place.description, town=place.town, postcode=place.postcode
    )


def move(plan: MovePlan) -> wire.PermanentMove | wire.TemporaryMove:
    """The move section: permanent, or temporary with its end date."""
    if plan.end_date is None:
        return wire.PermanentMove(
            kind="permanent", destination=destination(plan), expected_date=plan.expected_date
        )
    return wire.TemporaryMove(
        kind="temporary",
        destination=destination(plan),
        expected_date=plan.expected_date,
        end_date=plan.end_date,
    )


def safety(warnings: SafetyWarnings) -> wire.SafetyFlags:
    """The safety section; each officer-safety issue is one line of the notes."""
    return wire.SafetyFlags(
        officer_safety=bool(warnings.officer_safety_issues),
        threat_to_life=warnings.threat_to_life,
        notes="\n".join(warnings.officer_safety_issues) or None,
    )


def review(report: ReviewReport | None) -> wire.Review:
    """The review section: method, date, outcome, the checklist and the notes."""
    if report is None:
        raise UntranslatableEventError("the review's method or outcome is not recorded")
    checklist = {field: check in report.checks for check, field in enums.REVIEW_CHECK.items()}
    return wire.Review(
        method=enums.REVIEW_METHOD[report.method],
        completed_on=report.completed_on,
        outcome=enums.REVIEW_OUTCOME[report.outcome],
        checklist=wire.ReviewChecklist.model_validate(checklist),
        notes=report.notes or None,
    )


def contact(person: Contact | None, whose: str) -> wire.Contact:
    """One contact; the wire needs a telephone number for each."""
    if person is None:
        raise UntranslatableEventError(f"{whose} contact is not recorded")
    if not person.telephone:
        raise UntranslatableEventError(f"{person.name} has no telephone number")
    return wire.Contact(
        name=person.name,
        role=person.role,
        organisation=person.organisation,
        phone=person.telephone,
        email=person.email or None,
    )


def contacts(people: Sequence[Contact]) -> list[wire.Contact]:
    """Every contact, the owning force's first."""
    return [contact(person, "the") for person in people]


def notified_contacts(details: MoveDetails) -> list[wire.Contact]:
    """The contacts a notification names: at least one."""
    if not details.contacts:
        raise UntranslatableEventError("a notification names at least one contact")
    return contacts(details.contacts)
