"""Handlers and the message bus over the in-memory unit of work: two forces hand over."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.consultation import PartyKind
from ownership.domain.errors import (
    DuplicateOffenderError,
    IllegalTransitionError,
    UnknownOffenderError,
)
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.states import TransferState
from ownership.service_layer.handlers import COMMAND_HANDLERS
from ownership.service_layer.messagebus import MessageBus, UnknownCommandError, message_bus
from ownership.service_layer.unit_of_work import ConcurrentUpdateError
from tooling.memory import FakeUnitOfWork

from .builders import OWNER, RECEIVER, REF, RSO, T0, TID, move, visit
from .direct import Envelope, to_command


def _bus(force: str) -> MessageBus:
    return message_bus(FakeUnitOfWork(force))


def _cmd(cls: type[Any], **fields: Any) -> Any:
    return cls(reference=REF, by="officer", at=T0, **fields)


async def _deliver(events: list[e.Event], to: MessageBus) -> list[e.Event]:
    produced: list[e.Event] = []
    for n, event in enumerate(events):
        if isinstance(event, e.OutgoingEvent) and event.recipient == to.uow.force:
            produced += await to.handle(to_command(Envelope(f"m{n}-{id(event)}", event), T0))
    return produced


async def _owner_ready(bus: MessageBus) -> None:
    await bus.handle(_cmd(c.RegisterOffender, profile=RSO))
    await bus.handle(_cmd(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move()))
    await bus.handle(_cmd(c.RecordVisit, visit=visit("V1")))
    for item in sorted(mandatory_items(RSO)):
        uses_visit = item in {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT}
        await bus.handle(
            _cmd(
                c.CompleteReviewItem,
                transfer_id=TID,
                item=item,
                note="done",
                visit_id="V1" if uses_visit else None,
            )
        )


async def test_two_forces_hand_over_an_offender_through_their_buses() -> None:
    a, b = _bus(OWNER), _bus(RECEIVER)
    await _owner_ready(a)
    to_b = await a.handle(_cmd(c.NotifyTransfer, transfer_id=TID))
    await _deliver(to_b, b)
    to_a = await b.handle(_cmd(c.AcknowledgeTransfer, transfer_id=TID))
    await _deliver(to_a, a)
    party = _cmd(
        c.RecordConsultationParty,
        transfer_id=TID,
        party="MAPPA",
        kind=PartyKind.MAPPA_LEAD_AGENCY,
        outcome="ok",
    )
    await b.handle(party)
    await b.handle(_cmd(c.CompleteConsultation, transfer_id=TID, summary="done"))
    await _deliver(await b.handle(_cmd(c.AcceptOwnership, transfer_id=TID)), a)
    await _deliver(await a.handle(_cmd(c.CommitTransfer, transfer_id=TID)), b)
    a_view = await _stored(a)
    b_view = await _stored(b)
    assert (a_view.owner, a_view.epoch) == (RECEIVER, 2)
    assert (b_view.owner, b_view.epoch) == (RECEIVER, 2)
    assert b_view.transfer(TID).state is TransferState.COMMITTED


async def _stored(bus: MessageBus) -> Any:
    async with bus.uow:
        record = await bus.uow.records.get(REF)
    assert record is not None
    return record


async def test_a_refused_local_command_rolls_back_and_raises() -> None:
    a = _bus(OWNER)
    await a.handle(_cmd(c.RegisterOffender, profile=RSO))
    await a.handle(_cmd(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move()))
    uow = a.uow
    assert isinstance(uow, FakeUnitOfWork)
    commits = uow.commits
    with pytest.raises(IllegalTransitionError):
        await a.handle(_cmd(c.CommitTransfer, transfer_id=TID))
    assert uow.commits == commits
    assert uow.rollbacks >= 1
    assert (await _stored(a)).transfer(TID).state is TransferState.DRAFT


async def test_a_refused_message_is_committed_as_a_refusal_then_raised() -> None:
    a = _bus(OWNER)
    await _owner_ready(a)
    late = c.ReceiveOwnershipTransferred(
        reference=REF,
        at=T0,
        sender=RECEIVER,
        recipient=OWNER,
        epoch=2,
        message_id="bogus",
        transfer_id=TID,
    )
    with pytest.raises(Exception, match="may not send") as raised:
        await a.handle(late)
    assert raised.value.code == "sender_not_entitled"  # type: ignore[attr-defined]
    stored = await _stored(a)
    assert [r.message_id for r in stored.refusals] == ["bogus"]
    uow = a.uow
    assert isinstance(uow, FakeUnitOfWork)
    assert isinstance(uow.outbox[-1], e.PeerMessageRefused)


async def test_an_acceptance_of_a_cancelled_transfer_is_answered_with_a_refusal() -> None:
    """Every acceptance of a withdrawn transfer gets ownership.refused; the owner keeps it."""
    a = _bus(OWNER)
    await _owner_ready(a)
    await a.handle(_cmd(c.NotifyTransfer, transfer_id=TID))
    await a.handle(_cmd(c.CancelTransfer, transfer_id=TID, reason="off"))
    accepted = c.ReceiveOwnershipAccepted(
        reference=REF,
        at=T0,
        sender=RECEIVER,
        recipient=OWNER,
        epoch=2,
        message_id="acc-1",
        transfer_id=TID,
    )
    produced = await a.handle(accepted)
    refused = [ev for ev in produced if isinstance(ev, e.OwnershipRefused)]
    assert [(ev.recipient, ev.causation_id) for ev in refused] == [(RECEIVER, "acc-1")]
    again = await a.handle(replace(accepted, message_id="acc-2"))
    assert [type(ev) for ev in again][-1] is e.OwnershipRefused
    assert (await _stored(a)).owner == OWNER


async def test_unknown_offender_and_duplicate_registration_are_errors() -> None:
    a = _bus(OWNER)
    with pytest.raises(UnknownOffenderError):
        await a.handle(_cmd(c.NotifyTransfer, transfer_id=TID))
    await a.handle(_cmd(c.RegisterOffender, profile=RSO))
    with pytest.raises(DuplicateOffenderError):
        await a.handle(_cmd(c.RegisterOffender, profile=RSO))


async def test_every_command_has_a_handler() -> None:
    public = {cls for cls in vars(c).values() if isinstance(cls, type)}
    abstract = {c.Command, c.LocalCommand, c.IncomingMessage, c.TransferMessage}
    abstract |= {c.FederationCommand, c.PeerEnquiry}
    assert public - abstract == set(COMMAND_HANDLERS)


async def test_the_bus_refuses_a_command_it_has_no_handler_for() -> None:
    with pytest.raises(UnknownCommandError):
        await _bus(OWNER).handle(c.Command(reference=REF, at=T0))


async def test_the_bus_returns_the_events_the_command_committed() -> None:
    committed = await _bus(OWNER).handle(_cmd(c.RegisterOffender, profile=RSO))
    assert [type(ev) for ev in committed] == [e.OwnershipChanged, e.OffenderRegistered]


async def test_the_unit_of_work_rolls_back_unless_committed() -> None:
    uow = FakeUnitOfWork(OWNER)
    await COMMAND_HANDLERS[c.RegisterOffender](_cmd(c.RegisterOffender, profile=RSO), uow)
    async with uow:
        record = await uow.records.get(REF)
        assert record is not None
        record.visits.append(visit("V-uncommitted"))
    assert (await _stored(MessageBus(uow, {}))).visits == []


async def test_a_stale_version_is_a_concurrent_update() -> None:
    uow = FakeUnitOfWork(OWNER)
    await COMMAND_HANDLERS[c.RegisterOffender](_cmd(c.RegisterOffender, profile=RSO), uow)
    async with uow:
        first = await uow.records.get(REF)
        assert first is not None
    start = _cmd(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move())
    await COMMAND_HANDLERS[c.StartTransfer](start, uow)
    async with uow:
        await uow.records.add(first)
        first.start_transfer(replace(start, transfer_id="T2"))
        with pytest.raises(ConcurrentUpdateError):
            await uow.commit()
