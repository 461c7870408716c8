"""Builders for ownership tests: offenders, moves, visits, and records in any state."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from ownership.domain import commands as c
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.consultation import PartyKind
from ownership.domain.places import Address
from ownership.domain.record import OffenderRecord
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.states import TransferState
from ownership.domain.transfer import DeclineReason
from ownership.domain.values import (
    LeadAgency,
    MappaCategory,
    MappaLevel,
    MappaManagement,
    MoveDetails,
    MoveKind,
    OffenderCategory,
    OffenderProfile,
    RiskLevel,
)
from ownership.domain.visits import EntryOutcome, Visit, Visitor

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TODAY = T0.date()
OWNER, RECEIVER, OTHER = "A", "B", "C"
REF, TID = "VIS-0001", "T1"

RSO = OffenderProfile(OffenderCategory.REGISTERED_SEX_OFFENDER)
VIOLENT = OffenderProfile(OffenderCategory.VIOLENT_OFFENDER)
PDP = OffenderProfile(OffenderCategory.POTENTIALLY_DANGEROUS_PERSON)
MAPPA_RSO = OffenderProfile(
    OffenderCategory.REGISTERED_SEX_OFFENDER,
    MappaManagement(MappaCategory.ONE, MappaLevel.TWO, LeadAgency.PROBATION),
)

_ids = itertools.count(1)
M = TypeVar("M", bound=c.IncomingMessage)


def at(minutes: int) -> datetime:
    """A time ``minutes`` after the tests' start."""
    return T0 + timedelta(minutes=minutes)


def address(street: str = "1 New Street", town: str = "Leeds") -> Address:
    """A postal address in ``town``."""
    return Address((street,), town, "LS1 4AP")


def move(end: date | None = None, street: str = "1 New Street") -> MoveDetails:
    """A permanent move, or a temporary one ending on ``end``."""
    kind = MoveKind.TEMPORARY if end else MoveKind.PERMANENT
    return MoveDetails(
        kind=kind,
        expected_date=TODAY + timedelta(days=14),
        risk_level=RiskLevel.HIGH,
        new_address=address(street),
        end_date=end,
    )


def visit(
    visit_id: str = "V1",
    entry: EntryOutcome = EntryOutcome.OBTAINED,
    *,
    two_people: bool = True,
    start: datetime = T0,
    at_address: str = "9 Old Road, York",
) -> Visit:
    """A visit to the registered address (or ``at_address``), by two people unless told
    otherwise."""
    visitors: tuple[Visitor, ...] = (Visitor("PC1", "PC One", accredited_offender_manager=True),)
    if two_people:
        visitors += (Visitor("PC2", "PC Two"),)
    return Visit(
        visit_id=visit_id,
        address=at_address,
        risk_assessment="no known weapons; dog at address",
        risk_assessed_at=start - timedelta(hours=1),
        visitors=visitors,
        started_at=start,
        ended_at=start + timedelta(minutes=40),
        control_room_start_reported_at=start,
        control_room_end_reported_at=start + timedelta(minutes=40),
        entry=entry,
        outcome="spoke to offender" if entry is EntryOutcome.OBTAINED else "no entry",
    )


def register(profile: OffenderProfile = RSO, force: str = OWNER) -> OffenderRecord:
    """A record owned by ``force`` at epoch 1, with its registration events cleared."""
    cmd = c.RegisterOffender(reference=REF, by="officer", at=T0, profile=profile)
    record = OffenderRecord.register(cmd, force)
    record.events.clear()
    return record


def local(cls: type[Any], **fields: Any) -> Any:
    """A local command on the test offender, by an officer, at the tests' start."""
    return cls(**{"reference": REF, "by": "officer", "at": T0, **fields})


def message(cls: type[M], sender: str, recipient: str, epoch: int = 1, **fields: Any) -> M:
    """Another force's message about the test offender, with a fresh message id."""
    base = {
        "reference": REF,
        "at": T0,
        "sender": sender,
        "recipient": recipient,
        "epoch": epoch,
        "message_id": f"m{next(_ids)}",
    }
    if issubclass(cls, c.TransferMessage):
        base["transfer_id"] = TID
    return cls(**{**base, **fields})


def review_note(item: ReviewItem) -> str:
    """A note for a review item."""
    return f"{item} done"


def complete_review(record: OffenderRecord, transfer_id: str = TID) -> None:
    """Record a two-person visit and complete every mandatory review item."""
    if not any(v.visit_id == "V-review" for v in record.visits):
        record.record_visit(local(c.RecordVisit, visit=visit("V-review")))
    for item in sorted(mandatory_items(record.profile)):
        visit_id = "V-review" if item in _VISIT_ITEMS else None
        record.complete_review_item(
            local(
                c.CompleteReviewItem,
                transfer_id=transfer_id,
                item=item,
                note=review_note(item),
                visit_id=visit_id,
            )
        )


_VISIT_ITEMS = {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT}

S = TransferState


def owner_in(state: TransferState, profile: OffenderProfile = RSO) -> OffenderRecord:
    """Force A's record with transfer T1 to B in ``state`` (events cleared)."""
    record = register(profile)
    record.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move())
    )
    if state is not S.DRAFT:
        complete_review(record)
    if state not in {S.DRAFT, S.READY}:
        record.notify(local(c.NotifyTransfer, transfer_id=TID))
    _owner_onward(record, state)
    record.events.clear()
    return record


def _owner_onward(record: OffenderRecord, state: TransferState) -> None:
    if state is S.AMENDED:
        record.amend(local(c.AmendTransfer, transfer_id=TID, details=move(), reason="typo"))
    elif state is S.ACKNOWLEDGED:
        record.receive_acknowledgement(_ack())
    elif state in {S.ACCEPTED, S.COMMITTED}:
        record.receive_acceptance(message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2))
        if state is S.COMMITTED:
            record.commit(local(c.CommitTransfer, transfer_id=TID))
    elif state is S.DECLINED:
        record.receive_decline(
            message(
                c.ReceiveTransferDeclined,
                RECEIVER,
                OWNER,
                reason=DeclineReason.NOT_OURS,
                text="address is in C",
            )
        )
    elif state is S.CANCELLED:
        record.cancel(local(c.CancelTransfer, transfer_id=TID, reason="move is off"))
    elif state is S.EXPIRED:
        record.expire(local(c.ExpireTransfer, transfer_id=TID))


def _ack(revision: int = 1) -> c.ReceiveTransferAcknowledged:
    return message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=revision)


def notification(
    profile: OffenderProfile = RSO,
    sender: str = OWNER,
    epoch: int = 1,
    recipient: str = RECEIVER,
    **fields: Any,
) -> c.ReceiveTransferNotified:
    """A ``transfer.notified`` message from ``sender`` to ``recipient``."""
    return message(
        c.ReceiveTransferNotified,
        sender,
        recipient,
        epoch,
        profile=profile,
        details=move(),
        review=(),
        review_outcome="suitable to transfer",
        **fields,
    )


def receiver_in(
    state: TransferState, profile: OffenderProfile = RSO, *, consulted: bool = True
) -> OffenderRecord:
    """Force B's record with transfer T1 from A in ``state`` (events cleared)."""
    msg = notification(profile)
    record = OffenderRecord.first_heard(msg, RECEIVER, profile)
    record.receive_notification(msg)
    _receiver_onward(record, state, consulted=consulted)
    record.events.clear()
    return record


def _receiver_onward(record: OffenderRecord, state: TransferState, *, consulted: bool) -> None:
    if state is S.AMENDED:
        record.receive_amendment(amendment(2))
    if state in {S.ACKNOWLEDGED, S.ACCEPTED, S.COMMITTED, S.REFUSED}:
        record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID))
        if consulted:
            consult(record)
    if state in {S.ACCEPTED, S.COMMITTED, S.REFUSED}:
        record.accept(local(c.AcceptOwnership, transfer_id=TID))
    if state is S.COMMITTED:
        record.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2))
    if state is S.REFUSED:
        record.receive_refusal(
            message(c.ReceiveOwnershipRefused, OWNER, RECEIVER, reason="cancelled")
        )
    if state is S.DECLINED:
        record.decline(
            local(
                c.DeclineTransfer,
                transfer_id=TID,
                reason=DeclineReason.INSUFFICIENT_INFORMATION,
                text="no address",
            )
        )
    if state is S.CANCELLED:
        record.receive_cancellation(
            message(c.ReceiveTransferCancelled, OWNER, RECEIVER, reason="move off")
        )


def amendment(revision: int, **fields: Any) -> c.ReceiveTransferAmended:
    """A ``transfer.amended`` message from A to B."""
    return message(
        c.ReceiveTransferAmended,
        OWNER,
        RECEIVER,
        changes=DetailsAmendment.whole(move(street="2 Corrected Street")),
        revision=revision,
        reason="address corrected",
        **fields,
    )


def consult(record: OffenderRecord, kind: PartyKind = PartyKind.MAPPA_LEAD_AGENCY) -> None:
    """Consult one party and record the consultation as done."""
    record.record_consultation_party(
        local(
            c.RecordConsultationParty,
            transfer_id=TID,
            party="Leeds probation",
            kind=kind,
            outcome="no threat to life identified",
        )
    )
    record.complete_consultation(local(c.CompleteConsultation, transfer_id=TID, summary="done"))


def with_message_id(msg: M, message_id: str) -> M:
    """The same message under another id (a resend)."""
    return replace(msg, message_id=message_id)
