"""The coordinators' steps of a transfer, as commands with realistic sample data.

The demo and the end-to-end tests play transfers through real nodes with these: each
function returns the commands a coordinator or officer issues at one step, in order. The
people, places and references are invented; nothing here is real offender data.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ownership.domain import commands as c
from ownership.domain.consultation import PartyKind
from ownership.domain.places import Address
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.review_report import ReviewMethod, ReviewOutcome
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
)
from ownership.domain.visits import EntryOutcome, Visit, Visitor

_FAMILY_NAMES = ("Example", "Sample", "Specimen", "Placeholder", "Testcase", "Dummy")
_GIVEN_NAMES = ("Alan James", "Mark", "Peter John", "Sean", "David Paul", "Liam")
_VISITED = frozenset({ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT})


def profile(n: int) -> OffenderProfile:
    """Offender number `n`: categories and MAPPA management vary with n."""
    identity = OffenderIdentity(
        _FAMILY_NAMES[n % len(_FAMILY_NAMES)],
        _GIVEN_NAMES[n % len(_GIVEN_NAMES)],
        date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
    )
    category = (
        OffenderCategory.REGISTERED_SEX_OFFENDER,
        OffenderCategory.VIOLENT_OFFENDER,
        OffenderCategory.POTENTIALLY_DANGEROUS_PERSON,
    )[n % 3]
    mappa = (
        MappaManagement(MappaCategory.ONE, MappaLevel.TWO, LeadAgency.PROBATION)
        if category is not OffenderCategory.POTENTIALLY_DANGEROUS_PERSON and n % 2 == 0
        else None
    )
    return OffenderProfile(category, mappa, identity)


def contact(force: str, name: str = "DC Priya Shah") -> Contact:
    """A public protection contact at `force`."""
    return Contact(name, "MOSOVO officer", force, "0300 123 1212", f"ppu@{force.lower()}.example")


def move(owner: str, today: date, *, temporary: bool = False, n: int = 0) -> MoveDetails:
    """A move to an invented address, expected in a fortnight."""
    expected = today + timedelta(days=14)
    return MoveDetails(
        kind=MoveKind.TEMPORARY if temporary else MoveKind.PERMANENT,
        expected_date=expected,
        risk_level=(RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.LOW)[n % 3],
        new_address=Address(
            (f"Flat {1 + n % 9}", f"{10 + n} Sample Street"), "Sampletown", "ZZ1 1ZZ"
        ),
        end_date=expected + timedelta(days=60) if temporary else None,
        officer_safety_issues=("Dog at the address",) if n % 4 == 0 else (),
        threat_to_life=False,
        contacts=(contact(owner),),
    )


def register(reference: str, at: datetime, n: int = 0) -> list[c.Command]:
    """The owning force begins managing offender number `n`."""
    return [c.RegisterOffender(reference=reference, by="registrar", at=at, profile=profile(n))]


def review_and_notify(
    reference: str,
    transfer_id: str,
    receiver: str,
    details: MoveDetails,
    offender: OffenderProfile,
    at: datetime,
) -> list[c.Command]:
    """Start the transfer, visit, complete every mandatory review item, notify the receiver."""
    visit_id = f"V-{transfer_id[:8]}"
    steps: list[c.Command] = [
        c.StartTransfer(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            receiver=receiver, details=details,
        ),
        c.RecordVisit(
            reference=reference, by="offender manager", at=at, visit=_visit(visit_id, at)
        ),
    ]  # fmt: skip
    for item in sorted(mandatory_items(offender) | {ReviewItem.ADDRESS_VERIFIED}):
        steps.append(
            c.CompleteReviewItem(
                reference=reference, by="offender manager", at=at, transfer_id=transfer_id,
                item=item, note=f"{item.value.replace('_', ' ')}: done",
                visit_id=visit_id if item in _VISITED else None,
            )
        )  # fmt: skip
    steps.append(
        c.NotifyTransfer(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            review_outcome=ReviewOutcome.NO_CONCERNS, review_method=ReviewMethod.HOME_VISIT,
        )
    )  # fmt: skip
    return steps


def acknowledge_and_consult(
    reference: str, transfer_id: str, receiver: str, at: datetime, *, mappa: bool
) -> list[c.Command]:
    """The receiver acknowledges, consults (the lead agency in a MAPPA case), records it done."""
    party, kind = (
        ("National Probation Service", PartyKind.MAPPA_LEAD_AGENCY)
        if mappa
        else ("Neighbourhood policing team", PartyKind.LOCAL_POLICING_TEAM)
    )
    return [
        c.AcknowledgeTransfer(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            contact=contact(receiver),
        ),
        c.RecordConsultationParty(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            party=party, kind=kind,
            outcome="No threat to life identified; response plan agreed",
        ),
        c.CompleteConsultation(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            summary="Risk, response plans and threats to life discussed with all parties",
        ),
    ]  # fmt: skip


def accept(reference: str, transfer_id: str, receiver: str, at: datetime) -> list[c.Command]:
    """The offender registered at the receiving force, which accepts responsibility."""
    return [
        c.AcceptOwnership(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            registration=Registration(at.date(), f"{receiver} central police station"),
            contact=contact(receiver, "DC Lee Morgan"),
        )
    ]  # fmt: skip


def commit(reference: str, transfer_id: str, at: datetime) -> list[c.Command]:
    """The owner commits the handover."""
    return [
        c.CommitTransfer(
            reference=reference, by="coordinator", at=at, transfer_id=transfer_id,
            records_sent=True, records_reference=f"VISOR-{transfer_id[:8]}",
        )
    ]  # fmt: skip


def _visit(visit_id: str, at: datetime) -> Visit:
    start = at - timedelta(hours=2)
    return Visit(
        visit_id=visit_id,
        address="Registered address",
        risk_assessment="Checked ViSOR, PNC and local intelligence before attending",
        risk_assessed_at=start - timedelta(hours=1),
        visitors=(
            Visitor("OM1", "DC Offender Manager", accredited_offender_manager=True),
            Visitor("PC2", "PC Second Officer"),
        ),
        started_at=start,
        ended_at=start + timedelta(minutes=45),
        control_room_start_reported_at=start,
        control_room_end_reported_at=start + timedelta(minutes=45),
        entry=EntryOutcome.OBTAINED,
        outcome="Spoke to the offender; move confirmed",
    )
