"""Views that only the chain of owners moves: a claim from outside it is refused and raised.

A force's view of a record it does not own follows only the owner it knows (its own messages
and its reconciliation answers); a higher epoch claimed by anyone else is refused as
``unchained_claim`` and raised as a conflict. A force with no record opens a view only from
a notification addressed to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.errors import (
    CannotEstablishViewError,
    SenderNotEntitledError,
    UnaskedAnswerError,
    UnchainedClaimError,
    UnknownOffenderError,
)
from ownership.domain.held_views import HeldView, Position
from ownership.domain.history import ChangeKind, ConflictKind
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.states import TransferState
from ownership.domain.transfer import DeclineReason
from ownership.service_layer.messagebus import MessageBus, message_bus
from tooling.memory import FakeUnitOfWork

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    REF,
    RSO,
    T0,
    TID,
    TODAY,
    address,
    amendment,
    consult,
    local,
    message,
    notification,
    owner_in,
    receiver_in,
)

S = TransferState


def test_a_third_force_claiming_a_later_epoch_is_refused_and_raised() -> None:
    record = receiver_in(S.NOTIFIED)
    claim = notification(sender=OTHER, epoch=5, transfer_id="T-rogue")
    with pytest.raises(UnchainedClaimError):
        record.receive_notification(claim)
    assert (record.owner, record.epoch) == (OWNER, 1)
    assert record.find_transfer("T-rogue") is None
    [conflict] = record.conflicts
    assert (conflict.kind, conflict.epoch, conflict.held_owner, conflict.claimed_owner) == (
        ConflictKind.CLAIM,
        5,
        OWNER,
        OTHER,
    )
    assert record.status is RecordStatus.IN_CONFLICT
    refused = [ev for ev in record.events if isinstance(ev, e.PeerMessageRefused)]
    assert [(r.code, r.sender, r.message_id) for r in refused] == [
        ("unchained_claim", OTHER, claim.message_id)
    ]


def test_the_genuine_hand_over_completes_after_a_third_force_claim() -> None:
    record = receiver_in(S.NOTIFIED)
    with pytest.raises(UnchainedClaimError):
        record.receive_notification(notification(sender=OTHER, epoch=5, transfer_id="T-rogue"))
    record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID))
    consult(record)
    record.accept(local(c.AcceptOwnership, transfer_id=TID))
    record.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2))
    assert (record.owner, record.epoch) == (RECEIVER, 2)
    assert record.transfer(TID).state is S.COMMITTED
    assert [h.owner for h in record.history] == [OWNER, RECEIVER]


def test_a_repeated_claim_raises_one_conflict() -> None:
    record = receiver_in(S.NOTIFIED)
    for n in range(3):
        with pytest.raises(UnchainedClaimError):
            record.receive_notification(notification(sender=OTHER, epoch=5, transfer_id=f"R{n}"))
    assert len(record.conflicts) == 1
    assert len(record.refusals) == 3


def test_an_absence_notice_from_a_third_force_at_a_later_epoch_is_refused() -> None:
    record = receiver_in(S.NOTIFIED)
    notice = message(
        c.ReceiveOffenderAbsent,
        OTHER,
        RECEIVER,
        4,
        profile=RSO,
        date_left=TODAY,
        forwarding_address=address(),
        evidence="says so",
    )
    with pytest.raises(UnchainedClaimError):
        record.receive_absence_notice(notice)
    assert (record.owner, record.epoch, record.absences) == (OWNER, 1, [])
    assert record.conflicts[0].claimed_owner == OTHER


def test_the_known_owner_may_speak_for_a_later_epoch() -> None:
    record = receiver_in(S.CANCELLED)
    record.receive_notification(notification(sender=OWNER, epoch=3, transfer_id="T2"))
    assert (record.owner, record.epoch) == (OWNER, 3)
    assert record.history[-1].kind is ChangeKind.OBSERVED
    assert not record.conflicts


def test_the_known_owners_answer_passes_the_view_on_one_step() -> None:
    record = receiver_in(S.CANCELLED)
    theirs = HeldView(REF, True, OTHER, 2, Position.TRANSFERRED_AWAY)
    record.reconcile_with(OWNER, theirs, "status-1", T0)
    assert (record.owner, record.epoch) == (OTHER, 2)
    assert record.history[-1].source_message_id == "status-1"
    record.receive_notification(notification(sender=OTHER, epoch=2, transfer_id="T2"))
    assert record.transfer("T2").owner == OTHER
    assert not record.conflicts


def test_a_third_forces_answer_never_moves_the_view() -> None:
    record = receiver_in(S.CANCELLED)
    record.reconcile_with(OTHER, HeldView(REF, True, OTHER, 7, Position.OWNED), "status-2", T0)
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_no_answer_makes_this_force_the_owner() -> None:
    record = receiver_in(S.CANCELLED)
    record.reconcile_with(
        OWNER, HeldView(REF, True, RECEIVER, 2, Position.TRANSFERRED_AWAY), "s", T0
    )
    assert (record.owner, record.epoch) == (OWNER, 1)
    assert record.conflicts[0].kind is ConflictKind.DEPARTURE_WITHOUT_ARRIVAL


# -- through the handlers: what a force with no record, or a stranger's answer, can do ---


def _run(coroutine: object) -> None:
    asyncio.run(coroutine)  # type: ignore[arg-type]


def _bus(force: str) -> MessageBus:
    return message_bus(FakeUnitOfWork(force))


def test_a_former_owner_cannot_plant_a_view_with_an_absence_notice() -> None:
    bus = _bus(RECEIVER)
    plant = message(
        c.ReceiveOffenderAbsent,
        OWNER,
        RECEIVER,
        profile=RSO,
        date_left=TODAY,
        forwarding_address=address(),
        evidence="he moved to your area",
    )
    with pytest.raises(CannotEstablishViewError):
        _run(bus.handle(plant))
    assert isinstance(bus.uow, FakeUnitOfWork)
    assert bus.uow.store == {}


@pytest.mark.parametrize(
    "plant",
    [
        message(c.ReceiveTransferAmended, OWNER, RECEIVER, changes=None, revision=2, reason="x"),
        message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2),
        message(c.ReceiveTransferCancelled, OWNER, RECEIVER, reason="off"),
    ],
    ids=["amended", "transferred", "cancelled"],
)
def test_no_step_of_an_unknown_transfer_opens_a_view(plant: c.IncomingMessage) -> None:
    bus = _bus(RECEIVER)
    with pytest.raises(UnknownOffenderError):
        _run(bus.handle(plant))
    assert isinstance(bus.uow, FakeUnitOfWork)
    assert bus.uow.store == {}


def test_a_notification_addressed_here_opens_a_view() -> None:
    bus = _bus(RECEIVER)
    _run(bus.handle(notification()))
    assert isinstance(bus.uow, FakeUnitOfWork)
    held = bus.uow.store[REF]
    assert (held.owner, held.epoch, held.status) == (OWNER, 1, RecordStatus.TRANSFERRING_IN)


def _holding_a_stale_view() -> tuple[MessageBus, FakeUnitOfWork]:
    bus = _bus(RECEIVER)
    _run(bus.handle(notification()))
    _run(bus.handle(message(c.ReceiveTransferCancelled, OWNER, RECEIVER, reason="off")))
    assert isinstance(bus.uow, FakeUnitOfWork)
    return bus, bus.uow


def _status(sender: str, causation_id: str | None, owner: str, epoch: int) -> c.Command:
    return c.ReceiveOwnershipStatus(  # type: ignore[return-value]
        at=T0 + timedelta(hours=1),
        sender=sender,
        recipient=RECEIVER,
        message_id=f"status-{causation_id}",
        causation_id=causation_id,
        views=(HeldView(REF, True, owner, epoch, Position.TRANSFERRED_AWAY),),
    )


def test_the_answer_to_our_own_query_moves_the_view() -> None:
    bus, uow = _holding_a_stale_view()
    _run(bus.handle(c.Reconcile(at=T0 + timedelta(minutes=30), by="coordinator")))
    [query] = [m for m in uow.messages if isinstance(m, e.OwnershipQueried)]
    assert query.recipient == OWNER
    _run(bus.handle(_status(OWNER, query.message_id, OTHER, 2)))
    assert (uow.store[REF].owner, uow.store[REF].epoch) == (OTHER, 2)


@pytest.mark.parametrize("causation_id", [None, "a-query-never-sent"])
def test_an_unasked_answer_is_refused(causation_id: str | None) -> None:
    bus, uow = _holding_a_stale_view()
    with pytest.raises(UnaskedAnswerError):
        _run(bus.handle(_status(OWNER, causation_id, OTHER, 2)))
    assert (uow.store[REF].owner, uow.store[REF].epoch) == (OWNER, 1)


def test_an_answer_to_a_query_sent_to_another_force_is_refused() -> None:
    bus, uow = _holding_a_stale_view()
    _run(bus.handle(c.Reconcile(at=T0 + timedelta(minutes=30), by="coordinator")))
    [query] = [m for m in uow.messages if isinstance(m, e.OwnershipQueried)]
    with pytest.raises(UnaskedAnswerError):
        _run(bus.handle(_status(OTHER, query.message_id, OTHER, 2)))
    assert uow.store[REF].owner == OWNER


# -- every other message that could move a view comes only from the transfer's other end ----


def _steps_from_a_third_force() -> list[tuple[str, S, Callable[[OffenderRecord], None]]]:
    def amended(record: OffenderRecord) -> None:
        record.receive_amendment(replace(amendment(2), sender=OTHER, epoch=3))

    def cancelled(record: OffenderRecord) -> None:
        record.receive_cancellation(
            message(c.ReceiveTransferCancelled, OTHER, RECEIVER, 3, reason="off")
        )

    def refused(record: OffenderRecord) -> None:
        record.receive_refusal(message(c.ReceiveOwnershipRefused, OTHER, RECEIVER, 3, reason="x"))

    def transferred(record: OffenderRecord) -> None:
        record.receive_ownership(message(c.ReceiveOwnershipTransferred, OTHER, RECEIVER, 2))

    def reminded(record: OffenderRecord) -> None:
        record.receive_reminder(
            message(c.ReceiveTransferReminder, OTHER, RECEIVER, 3, waiting_for="acceptance")
        )

    def acknowledged(record: OffenderRecord) -> None:
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, OTHER, OWNER, 3, revision=1)
        )

    def declined(record: OffenderRecord) -> None:
        record.receive_decline(
            message(
                c.ReceiveTransferDeclined, OTHER, OWNER, 3, reason=DeclineReason.NOT_OURS, text="x"
            )
        )

    def accepted(record: OffenderRecord) -> None:
        record.receive_acceptance(message(c.ReceiveOwnershipAccepted, OTHER, OWNER, 2))

    return [
        ("transfer.amended", S.NOTIFIED, amended),
        ("transfer.cancelled", S.ACKNOWLEDGED, cancelled),
        ("ownership.refused", S.ACCEPTED, refused),
        ("ownership.transferred", S.ACCEPTED, transferred),
        ("transfer.reminder", S.ACKNOWLEDGED, reminded),
        ("transfer.acknowledged", S.NOTIFIED, acknowledged),
        ("transfer.declined", S.NOTIFIED, declined),
        ("ownership.accepted", S.ACKNOWLEDGED, accepted),
    ]


@pytest.mark.parametrize(
    ("name", "state", "send"),
    _steps_from_a_third_force(),
    ids=[name for name, _, _ in _steps_from_a_third_force()],
)
def test_a_third_forces_step_of_a_transfer_moves_nothing(
    name: str, state: S, send: Callable[[OffenderRecord], None]
) -> None:
    owners_side = name in {"transfer.acknowledged", "transfer.declined", "ownership.accepted"}
    record = owner_in(state) if owners_side else receiver_in(state)
    before = (record.owner, record.epoch, record.transfer(TID).state, list(record.history))
    with pytest.raises(SenderNotEntitledError):
        send(record)
    assert (record.owner, record.epoch, record.transfer(TID).state, record.history) == before
    assert record.refusals[-1].sender == OTHER
