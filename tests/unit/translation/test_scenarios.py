"""Two and three forces running the protocol end to end over the real wire, in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain.absence import AbsenceSource
from ownership.domain.consultation import PartyKind
from ownership.domain.errors import StaleRevisionError
from ownership.domain.events import TransferAcknowledged
from ownership.domain.places import Address
from ownership.domain.record_core import RecordStatus
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.review_report import ReviewOutcome
from ownership.domain.states import TransferState
from ownership.domain.transfer import CancelReason, DeclineReason, RefusalReason
from ownership.domain.values import OffenderProfile

from ..ownership.builders import visit
from .federation import Federation
from .samples import PROFILE, REGISTRATION, TID, TID2, TODAY, contact, details
from .wire import Carried, carry

TID3 = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a"
_VISITED = {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT}


async def register(fed: Federation, owner: str, profile: OffenderProfile = PROFILE) -> None:
    """``owner`` begins managing the offender at epoch 1."""
    await fed.act(owner, c.RegisterOffender, profile=profile)


async def notify(
    fed: Federation, owner: str, receiver: str, transfer_id: str, *, temporary: bool = False
) -> None:
    """``owner`` starts a transfer, reviews the offender, and notifies ``receiver``."""
    await fed.act(
        owner,
        c.StartTransfer,
        transfer_id=transfer_id,
        receiver=receiver,
        details=details(temporary=temporary, owner=owner),
    )
    visit_id = f"V-{transfer_id[:8]}"
    await fed.act(owner, c.RecordVisit, visit=visit(visit_id, start=fed.tick()))
    items = mandatory_items(fed[owner].record.profile) | {ReviewItem.ADDRESS_VERIFIED}
    for item in sorted(items):
        await fed.act(
            owner,
            c.CompleteReviewItem,
            transfer_id=transfer_id,
            item=item,
            note=f"{item} done",
            visit_id=visit_id if item in _VISITED else None,
        )
    await fed.act(
        owner, c.NotifyTransfer, transfer_id=transfer_id, review_outcome=ReviewOutcome.NO_CONCERNS
    )
    await fed.deliver()


async def acknowledge_and_consult(fed: Federation, receiver: str, transfer_id: str) -> None:
    """``receiver`` acknowledges, consults the MAPPA lead agency, and records it done."""
    await fed.act(
        receiver, c.AcknowledgeTransfer, transfer_id=transfer_id, contact=contact(receiver)
    )
    await fed.deliver()
    await fed.act(
        receiver,
        c.RecordConsultationParty,
        transfer_id=transfer_id,
        party="Youth justice service",
        kind=PartyKind.MAPPA_LEAD_AGENCY,
        outcome="No threat to life identified",
    )
    await fed.act(receiver, c.CompleteConsultation, transfer_id=transfer_id, summary="done")


async def accept(fed: Federation, receiver: str, transfer_id: str) -> None:
    """``receiver`` accepts responsibility: the offender registered there."""
    await fed.act(
        receiver,
        c.AcceptOwnership,
        transfer_id=transfer_id,
        registration=REGISTRATION,
        contact=contact(receiver, "DC Lee Morgan"),
    )


async def hand_over(fed: Federation, owner: str, receiver: str, transfer_id: str) -> None:
    """A whole handover from acknowledgement to the committed transfer."""
    await acknowledge_and_consult(fed, receiver, transfer_id)
    await accept(fed, receiver, transfer_id)
    await fed.deliver()
    await fed.act(
        owner,
        c.CommitTransfer,
        transfer_id=transfer_id,
        records_sent=True,
        records_reference="VISOR-HANDOVER-2025-0042",
    )
    await fed.deliver()


def owners(fed: Federation, *forces: str) -> set[tuple[str, int]]:
    """The owner and epoch each named force holds."""
    return {(fed[f].record.owner, fed[f].record.epoch) for f in forces}


async def test_a_permanent_move_from_notification_to_committed_ownership() -> None:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    received = fed["WMP"].record
    assert received.profile == PROFILE
    assert received.transfer(TID).details == details(owner="GMP")
    assert received.transfer(TID).review_report == fed["GMP"].record.transfer(TID).review_report

    await hand_over(fed, "GMP", "WMP", TID)

    assert owners(fed, "GMP", "WMP") == {("WMP", 2)}
    assert fed["WMP"].record.status is RecordStatus.OWNED
    assert fed["GMP"].record.status is RecordStatus.OWNED_ELSEWHERE
    gmp, wmp = fed["GMP"].record.transfer(TID), fed["WMP"].record.transfer(TID)
    assert gmp.state is wmp.state is TransferState.COMMITTED
    assert gmp.registration == REGISTRATION
    assert gmp.peer_contact == contact("WMP", "DC Lee Morgan")
    assert wmp.handover is not None
    assert wmp.handover.records_reference == "VISOR-HANDOVER-2025-0042"
    assert [t for node in fed.nodes.values() for t in node.dead_letters] == []


async def test_answers_name_the_message_they_answer() -> None:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    await acknowledge_and_consult(fed, "WMP", TID)
    notification, acknowledgement = fed["WMP"].received[0], fed["GMP"].received[0]
    assert acknowledgement.command.causation_id == notification.command.message_id
    assert acknowledgement.received.envelope.causationid == notification.received.envelope.id


async def test_a_decline_then_a_new_transfer_to_the_suggested_force() -> None:
    fed = Federation("GMP", "WMP", "WMC")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    await fed.act(
        "WMP",
        c.DeclineTransfer,
        transfer_id=TID,
        reason=DeclineReason.NOT_OURS,
        text="14 Sample Street is in West Mercia.",
        suggested_force="WMC",
    )
    await fed.deliver()
    declined = fed["GMP"].record.transfer(TID)
    assert declined.state is TransferState.DECLINED
    assert declined.decline is not None
    assert (declined.decline.reason, declined.decline.suggested_force) == (
        DeclineReason.NOT_OURS,
        "WMC",
    )

    await notify(fed, "GMP", "WMC", TID2)
    await hand_over(fed, "GMP", "WMC", TID2)
    assert owners(fed, "GMP", "WMC") == {("WMC", 2)}
    assert fed["WMP"].record.transfer(TID).state is TransferState.DECLINED


async def test_a_cancellation_crossing_an_acceptance_is_answered_with_a_refusal() -> None:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    await acknowledge_and_consult(fed, "WMP", TID)
    await accept(fed, "WMP", TID)
    await fed.act(
        "GMP",
        c.CancelTransfer,
        transfer_id=TID,
        reason="Remanded in custody.",
        reason_code=CancelReason.OFFENDER_IN_CUSTODY,
    )
    carried = await fed.deliver()

    sent = [(m.received.message_type, m.received.envelope.source) for m in carried]
    assert sent == [
        ("transfer.cancelled", "GMP"),
        ("ownership.accepted", "WMP"),
        ("ownership.refused", "GMP"),
    ]
    refusal = carried[-1].command
    assert isinstance(refusal, c.ReceiveOwnershipRefused)
    assert (refusal.reason_code, refusal.owner, refusal.owner_epoch) == (
        RefusalReason.TRANSFER_CANCELLED,
        "GMP",
        1,
    )
    assert refusal.causation_id == carried[1].received.envelope.id
    assert owners(fed, "GMP", "WMP") == {("GMP", 1)}
    assert fed["GMP"].record.transfer(TID).state is TransferState.CANCELLED


async def test_a_temporary_move_and_the_return() -> None:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID, temporary=True)
    await hand_over(fed, "GMP", "WMP", TID)
    assert owners(fed, "GMP", "WMP") == {("WMP", 2)}
    away = fed["WMP"].record.temporary_move
    assert away is not None
    assert away.home_force == "GMP"

    await notify(fed, "WMP", "GMP", TID2)
    assert fed["WMP"].record.transfer(TID2).return_of == TID
    await hand_over(fed, "WMP", "GMP", TID2)

    assert owners(fed, "GMP", "WMP") == {("GMP", 3)}
    assert fed["GMP"].record.temporary_move is None
    assert fed["GMP"].record.status is RecordStatus.OWNED


async def _absence_to(fed: Federation, force: str) -> list[Carried]:
    cardiff = Address(("3 Specimen Road",), "Cardiff", "CF10 1AA")
    await fed.act(
        "GMP",
        c.RecordAbsence,
        date_left=TODAY - timedelta(days=1),
        forwarding_address=cardiff,
        forwarding_force=force,
        evidence="Landlord reports the flat cleared and keys returned.",
        source=AbsenceSource.LANDLORD,
    )
    return await fed.deliver()


async def test_an_absence_notice_reaches_a_forwarding_force_that_holds_a_view() -> None:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    carried = await _absence_to(fed, "WMP")

    assert [m.received.message_type for m in carried] == ["offender.absent"]
    held = fed["WMP"].record
    assert (held.owner, held.epoch) == ("GMP", 1)
    absence = held.absences[0]
    assert (absence.forwarding_address, absence.source, absence.reported_by_force) == (
        Address(("3 Specimen Road",), "Cardiff", "CF10 1AA"),
        AbsenceSource.LANDLORD,
        "GMP",
    )


async def test_an_absence_notice_never_opens_a_view_at_the_forwarding_force() -> None:
    fed = Federation("GMP", "WMP", "SWP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    await _absence_to(fed, "SWP")

    assert fed["SWP"].uow.store == {}
    assert fed["SWP"].dead_letters == [("offender.absent", "cannot_establish_view")]


async def test_a_1_0_acknowledgement_of_an_amended_transfer_is_refused_as_stale() -> None:
    fed = Federation("DPP", "GMP")
    await register(fed, "DPP")
    await notify(fed, "DPP", "GMP", TID3)
    await fed.act(
        "DPP", c.AmendTransfer, transfer_id=TID3, details=details(owner="DPP"), reason="typo"
    )
    await fed.deliver()
    await fed.act("GMP", c.AcknowledgeTransfer, transfer_id=TID3, contact=contact("GMP"))
    (acknowledgement,) = fed["GMP"].unsent()
    assert isinstance(acknowledgement, TransferAcknowledged)
    assert acknowledgement.revision == 2

    # DPP lists transfer.acknowledged 1.0 only, which has no revision: a 1.0 acknowledgement
    # is read as acknowledging the notification (revision 1), no longer the current one.
    dpp = fed["DPP"]
    one_zero = carry(dpp.record, replace(acknowledgement, revision=1))
    assert str(one_zero.received.version) == "1.0"
    with pytest.raises(StaleRevisionError):
        await dpp.bus.handle(one_zero.command)
    assert dpp.record.transfer(TID3).state is TransferState.AMENDED
    assert dpp.record.refusals[-1].code == "stale_revision"
