"""A hand-over by hand to an authority that runs no node (Police Scotland and the like).

The owner reviews, records that the authority was told, its acknowledgement and its
acceptance, then commits: the record is managed by the authority, and nothing was ever sent
to it. Every step that would send a message is refused, and so is every step out of turn.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import (
    AuthorityRunsNoNodeError,
    IllegalTransitionError,
    NotAManualHandoverError,
    NotManagedByAuthorityError,
    NotTheOwnerError,
    ReviewIncompleteError,
)
from ownership.domain.history import ChangeKind
from ownership.domain.reconciliation import counterparts
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import AuthorityExchange
from ownership.service_layer.messagebus import message_bus
from tooling.memory import FakeUnitOfWork

from .builders import (
    OWNER,
    RECEIVER,
    REF,
    RSO,
    T0,
    TID,
    at,
    complete_review,
    local,
    move,
    register,
    visit,
)

PSOS, SCOTLAND = "PSOS", "Police Scotland"


def _told() -> AuthorityExchange:
    return AuthorityExchange(at(60), "DS Jane Roe, OMU Glasgow", "telephone", "")


def _acknowledged() -> AuthorityExchange:
    return AuthorityExchange(at(120), "DS Jane Roe", "secure email", "PS-2025-0042")


def _accepted() -> AuthorityExchange:
    return AuthorityExchange(at(180), "DI Ann Bell", "letter", "PS-2025-0042")


def _started(authority: str | None = SCOTLAND, receiver: str = PSOS) -> OffenderRecord:
    record = register()
    record.start_transfer(
        local(
            c.StartTransfer,
            transfer_id=TID,
            receiver=receiver,
            details=move(),
            authority=authority,
        )
    )
    return record


def _reviewed() -> OffenderRecord:
    record = _started()
    complete_review(record)
    return record


def _step(record: OffenderRecord, cls: type[Any], exchange: AuthorityExchange) -> None:
    command = local(cls, transfer_id=TID, exchange=exchange)
    if cls is c.RecordAuthorityTold:
        record.record_authority_told(command)
    elif cls is c.RecordAuthorityAcknowledgement:
        record.record_authority_acknowledgement(command)
    else:
        record.record_authority_acceptance(command)


def _accepted_record() -> OffenderRecord:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    _step(record, c.RecordAuthorityAcknowledgement, _acknowledged())
    _step(record, c.RecordAuthorityAcceptance, _accepted())
    return record


def test_a_transfer_to_an_authority_is_by_hand_from_the_start() -> None:
    record = _started()
    transfer = record.transfer(TID)
    assert transfer.manual is not None
    assert transfer.manual.authority == SCOTLAND
    assert transfer.state is TransferState.DRAFT


def test_each_step_by_hand_is_recorded_with_who_when_and_reference() -> None:
    record = _accepted_record()
    transfer = record.transfer(TID)
    assert transfer.state is TransferState.ACCEPTED
    assert transfer.manual is not None
    assert transfer.manual.told == _told()
    assert transfer.manual.acknowledgement == _acknowledged()
    assert transfer.manual.acceptance == _accepted()
    recorded = [ev for ev in record.events if isinstance(ev, e.AuthorityStepRecorded)]
    assert [ev.step for ev in recorded] == [
        Step.TELL_AUTHORITY,
        Step.AUTHORITY_ACKNOWLEDGED,
        Step.AUTHORITY_ACCEPTED,
    ]
    assert all(ev.authority == SCOTLAND for ev in recorded)
    assert "PS-2025-0042" in transfer.steps[-1].note


def test_the_commit_leaves_the_record_managed_by_the_authority() -> None:
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert record.managed_by == SCOTLAND
    assert record.status is RecordStatus.MANAGED_EXTERNALLY
    assert (record.owner, record.epoch, record.is_owner) == (PSOS, 2, False)
    assert record.history[-1].kind is ChangeKind.HANDED_TO_AUTHORITY
    assert record.transfer(TID).state is TransferState.COMMITTED
    handed = [ev for ev in record.events if isinstance(ev, e.HandedToAuthority)]
    assert [(ev.authority_code, ev.authority, ev.epoch) for ev in handed] == [(PSOS, SCOTLAND, 2)]


def test_nothing_is_ever_sent_to_the_authority() -> None:
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert not [ev for ev in record.events if isinstance(ev, e.OutgoingEvent)]


def test_no_further_move_can_start_once_the_authority_manages_it() -> None:
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    with pytest.raises(NotTheOwnerError, match="Police Scotland manages it"):
        record.start_transfer(
            local(c.StartTransfer, transfer_id="T2", receiver=RECEIVER, details=move())
        )


def test_the_authority_is_not_told_before_the_review_is_complete() -> None:
    record = _started()
    with pytest.raises(ReviewIncompleteError):
        _step(record, c.RecordAuthorityTold, _told())


@pytest.mark.parametrize(
    "cls", [c.RecordAuthorityAcknowledgement, c.RecordAuthorityAcceptance], ids=["ack", "accept"]
)
def test_an_answer_before_the_authority_was_told_is_out_of_turn(cls: type[Any]) -> None:
    record = _reviewed()
    with pytest.raises(IllegalTransitionError):
        _step(record, cls, _acknowledged())


def test_an_acceptance_before_the_acknowledgement_is_out_of_turn() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    with pytest.raises(IllegalTransitionError):
        _step(record, c.RecordAuthorityAcceptance, _accepted())


def test_the_commit_waits_for_the_authoritys_acceptance() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    _step(record, c.RecordAuthorityAcknowledgement, _acknowledged())
    with pytest.raises(IllegalTransitionError):
        record.commit(local(c.CommitTransfer, transfer_id=TID))


def test_a_notification_to_an_authority_is_refused() -> None:
    record = _reviewed()
    with pytest.raises(AuthorityRunsNoNodeError, match="handover-told"):
        record.notify(local(c.NotifyTransfer, transfer_id=TID, review_outcome="no_concerns"))


def test_an_amendment_to_an_authority_is_refused() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    with pytest.raises(AuthorityRunsNoNodeError):
        record.amend(local(c.AmendTransfer, transfer_id=TID, details=move(), reason="typo"))


def test_a_reminder_to_an_authority_is_refused() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    with pytest.raises(AuthorityRunsNoNodeError):
        record.send_reminder(local(c.SendReminder, transfer_id=TID))


def test_a_transfer_between_nodes_takes_no_step_by_hand() -> None:
    record = _started(authority=None, receiver=RECEIVER)
    complete_review(record)
    with pytest.raises(NotAManualHandoverError):
        _step(record, c.RecordAuthorityTold, _told())


def test_a_withdrawn_hand_over_by_hand_sends_nothing() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    record.cancel(local(c.CancelTransfer, transfer_id=TID, reason="stays in England"))
    assert record.transfer(TID).state is TransferState.CANCELLED
    assert not [ev for ev in record.events if isinstance(ev, e.OutgoingEvent)]


def test_a_hand_over_called_off_after_the_authority_was_told_says_to_tell_it() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    record.cancel(local(c.CancelTransfer, transfer_id=TID, reason="stays in England"))
    [cancelled] = [ev for ev in record.events if isinstance(ev, e.HandOverCancelled)]
    assert (cancelled.transfer_id, cancelled.authority, cancelled.reason) == (
        TID,
        PSOS,
        "stays in England",
    )
    assert not [ev for ev in record.events if isinstance(ev, e.DraftTransferCancelled)]


def test_a_hand_over_called_off_before_the_authority_was_told_is_a_dropped_draft() -> None:
    record = _reviewed()
    record.cancel(local(c.CancelTransfer, transfer_id=TID, reason="stays in England"))
    assert [type(ev) for ev in record.events][-1:] == [e.DraftTransferCancelled]
    assert not [ev for ev in record.events if isinstance(ev, e.HandOverCancelled)]


def test_an_overdue_hand_over_climbs_the_ladder_without_a_reminder() -> None:
    record = _reviewed()
    _step(record, c.RecordAuthorityTold, _told())
    record.events.clear()
    levels = ServiceLevels()
    late = T0 + timedelta(days=levels.acknowledge_days + 2)
    record.chase(c.ChaseDeadlines(reference=REF, at=late, by="scheduler", levels=levels))
    escalated = [ev for ev in record.events if isinstance(ev, e.DeadlineEscalated)]
    assert [(ev.party, ev.reminded) for ev in escalated] == [(PSOS, False)]
    assert not [ev for ev in record.events if isinstance(ev, e.OutgoingEvent)]


def test_reconciliation_never_asks_the_authority() -> None:
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert PSOS not in counterparts(record)


async def test_reconcile_asks_no_force_that_runs_no_node() -> None:
    uow = FakeUnitOfWork(OWNER)
    bus = message_bus(uow)
    await bus.handle(local(c.RegisterOffender, profile=RSO))
    await bus.handle(local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move()))
    await bus.handle(c.Reconcile(at=at(5), by="scheduler", no_node=frozenset({RECEIVER})))
    assert not [m for m in uow.messages if isinstance(m, e.OwnershipQueried)]
    await bus.handle(c.Reconcile(at=at(6), by="scheduler"))
    assert [m.recipient for m in uow.messages if isinstance(m, e.OwnershipQueried)] == [RECEIVER]


async def test_the_bus_runs_a_hand_over_by_hand_to_the_end() -> None:
    bus = message_bus(FakeUnitOfWork(OWNER))
    await bus.handle(local(c.RegisterOffender, profile=RSO))
    await bus.handle(
        local(c.StartTransfer, transfer_id=TID, receiver=PSOS, details=move(), authority=SCOTLAND)
    )
    await bus.handle(local(c.RecordVisit, visit=visit("V-review")))
    for item in sorted(mandatory_items(RSO)):
        visit_id = (
            "V-review" if item in {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT} else None
        )
        await bus.handle(
            local(c.CompleteReviewItem, transfer_id=TID, item=item, note="done", visit_id=visit_id)
        )
    events: list[e.Event] = []
    for cls, exchange in (
        (c.RecordAuthorityTold, _told()),
        (c.RecordAuthorityAcknowledgement, _acknowledged()),
        (c.RecordAuthorityAcceptance, _accepted()),
    ):
        events += await bus.handle(local(cls, transfer_id=TID, exchange=exchange))
    events += await bus.handle(local(c.CommitTransfer, transfer_id=TID))
    stored = await bus.uow.records.get(REF)
    assert stored is not None
    assert stored.managed_by == SCOTLAND
    assert not [ev for ev in events if isinstance(ev, e.OutgoingEvent)]


def _returned(record: OffenderRecord) -> None:
    back = AuthorityExchange(at(300), "DI Ann Bell", "letter", "PS-2025-0042")
    record.record_return_from_authority(local(c.RecordReturnFromAuthority, exchange=back))


def test_a_return_from_the_authority_makes_this_force_the_owner_again() -> None:
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    _returned(record)
    assert (record.owner, record.epoch, record.managed_by) == (OWNER, 3, None)
    assert record.status is RecordStatus.OWNED
    assert record.history[-1].kind is ChangeKind.RETURNED_FROM_AUTHORITY
    assert record.history[-1].previous_owner == PSOS
    returned = [ev for ev in record.events if isinstance(ev, e.ReturnedFromAuthority)]
    assert [(ev.authority_code, ev.authority, ev.epoch) for ev in returned] == [(PSOS, SCOTLAND, 3)]
    record.start_transfer(
        local(c.StartTransfer, transfer_id="T2", receiver=RECEIVER, details=move())
    )
    assert record.transfer("T2").state is TransferState.DRAFT
    assert PSOS not in counterparts(record)


def test_a_record_no_authority_manages_cannot_return_from_one() -> None:
    with pytest.raises(NotManagedByAuthorityError):
        _returned(register())
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    _returned(record)
    with pytest.raises(NotManagedByAuthorityError):
        _returned(record)
