"""Every step on both sides in every state: legal ones reach the table's state, the rest raise.

The expected answers come from the protocol written out by hand in ``protocol`` (never from
the production tables): these tests drive a real record into each state and try each step,
so the record cannot drift from the protocol whatever ``ownership.domain.states`` says.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ownership.domain import commands as c
from ownership.domain.errors import (
    DomainError,
    IllegalTransitionError,
    NotTheOwnerError,
    OutOfSequenceError,
    ReviewIncompleteError,
    TransferSupersededError,
)
from ownership.domain.events import OwnershipRefused
from ownership.domain.record import OffenderRecord
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import DeclineReason

from . import protocol
from .builders import (
    OWNER,
    RECEIVER,
    TID,
    amendment,
    local,
    message,
    move,
    notification,
    owner_in,
    receiver_in,
)

S = TransferState
OWNER_STATES = [S.DRAFT, S.READY, S.NOTIFIED, S.AMENDED, S.ACKNOWLEDGED, S.ACCEPTED]
OWNER_STATES += [S.COMMITTED, S.DECLINED, S.CANCELLED, S.EXPIRED]
RECEIVER_STATES = [S.NOTIFIED, S.AMENDED, S.ACKNOWLEDGED, S.ACCEPTED, S.COMMITTED]
RECEIVER_STATES += [S.DECLINED, S.CANCELLED, S.REFUSED]

Action = Callable[[OffenderRecord], None]


def _target(table: protocol.Table, state: TransferState, step: Step) -> TransferState | None:
    """Where the protocol says ``step`` leads from ``state``, or None if it is refused."""
    target = table.get(state.value, {}).get(step.value)
    return None if target is None else TransferState(target)


OWNER_SEND_ACTIONS: dict[Step, Action] = {
    Step.NOTIFY: lambda r: r.notify(local(c.NotifyTransfer, transfer_id=TID)),
    Step.AMEND: lambda r: r.amend(
        local(c.AmendTransfer, transfer_id=TID, details=move(), reason="fix")
    ),
    Step.CANCEL: lambda r: r.cancel(local(c.CancelTransfer, transfer_id=TID, reason="off")),
    Step.EXPIRE: lambda r: r.expire(local(c.ExpireTransfer, transfer_id=TID)),
    Step.COMMIT: lambda r: r.commit(local(c.CommitTransfer, transfer_id=TID)),
}


def _revision(record: OffenderRecord) -> int:
    return record.transfer(TID).revision


OWNER_ACCEPT_ACTIONS: dict[Step, Action] = {
    Step.ACKNOWLEDGE: lambda r: r.receive_acknowledgement(
        message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=_revision(r))
    ),
    Step.DECLINE: lambda r: r.receive_decline(
        message(
            c.ReceiveTransferDeclined,
            RECEIVER,
            OWNER,
            reason=DeclineReason.NOT_OURS,
            text="not ours",
        )
    ),
    Step.ACCEPT: lambda r: r.receive_acceptance(
        message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2)
    ),
}

RECEIVER_SEND_ACTIONS: dict[Step, Action] = {
    Step.ACKNOWLEDGE: lambda r: r.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID)),
    Step.DECLINE: lambda r: r.decline(
        local(
            c.DeclineTransfer,
            transfer_id=TID,
            reason=DeclineReason.INSUFFICIENT_INFORMATION,
            text="need more",
        )
    ),
    Step.ACCEPT: lambda r: r.accept(local(c.AcceptOwnership, transfer_id=TID)),
}

RECEIVER_ACCEPT_ACTIONS: dict[Step, Action] = {
    Step.AMEND: lambda r: r.receive_amendment(amendment(_revision(r) + 1)),
    Step.CANCEL: lambda r: r.receive_cancellation(
        message(c.ReceiveTransferCancelled, OWNER, RECEIVER, reason="off")
    ),
    Step.COMMIT: lambda r: r.receive_ownership(
        message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2)
    ),
    Step.REFUSE: lambda r: r.receive_refusal(
        message(c.ReceiveOwnershipRefused, OWNER, RECEIVER, reason="gone")
    ),
    Step.NOTIFY: lambda r: r.receive_notification(notification()),
}


def _owner_send_error(state: TransferState, step: Step) -> type[DomainError]:
    if state is S.COMMITTED:
        return NotTheOwnerError
    if state is S.DRAFT and step is Step.NOTIFY:
        return ReviewIncompleteError
    return IllegalTransitionError


@pytest.mark.parametrize("step", list(OWNER_SEND_ACTIONS))
@pytest.mark.parametrize("state", OWNER_STATES)
def test_owner_sends_only_what_its_state_allows(state: TransferState, step: Step) -> None:
    record = owner_in(state)
    target = _target(protocol.OWNER_TAKES, state, step)
    if target is None:
        with pytest.raises(_owner_send_error(state, step)):
            OWNER_SEND_ACTIONS[step](record)
        assert record.transfer(TID).state is state
        assert record.events == []
    else:
        OWNER_SEND_ACTIONS[step](record)
        assert record.transfer(TID).state is target
        assert record.events


@pytest.mark.parametrize("step", list(OWNER_ACCEPT_ACTIONS))
@pytest.mark.parametrize("state", OWNER_STATES)
def test_owner_accepts_only_what_its_state_allows(state: TransferState, step: Step) -> None:
    record = owner_in(state)
    target = _target(protocol.OWNER_HEARS, state, step)
    if target is None:
        with pytest.raises(OutOfSequenceError):
            OWNER_ACCEPT_ACTIONS[step](record)
        assert record.transfer(TID).state is state
        assert [r.code for r in record.refusals] == ["out_of_sequence"]
    else:
        OWNER_ACCEPT_ACTIONS[step](record)
        assert record.transfer(TID).state is target
        assert record.refusals == []


@pytest.mark.parametrize("state", [S.CANCELLED, S.EXPIRED])
def test_owner_answers_acceptance_of_withdrawn_transfer_with_refusal(state: TransferState) -> None:
    record = owner_in(state)
    OWNER_ACCEPT_ACTIONS[Step.ACCEPT](record)
    refused = [e for e in record.events if isinstance(e, OwnershipRefused)]
    assert [(e.recipient, e.epoch) for e in refused] == [(RECEIVER, 1)]
    assert record.owner == OWNER


def _receiver_send_error(state: TransferState) -> type[DomainError]:
    return TransferSupersededError if state is S.COMMITTED else IllegalTransitionError


@pytest.mark.parametrize("step", list(RECEIVER_SEND_ACTIONS))
@pytest.mark.parametrize("state", RECEIVER_STATES)
def test_receiver_sends_only_what_its_state_allows(state: TransferState, step: Step) -> None:
    record = receiver_in(state)
    target = _target(protocol.RECEIVER_TAKES, state, step)
    if target is None:
        with pytest.raises(_receiver_send_error(state)):
            RECEIVER_SEND_ACTIONS[step](record)
        assert record.transfer(TID).state is state
        assert record.events == []
    else:
        RECEIVER_SEND_ACTIONS[step](record)
        assert record.transfer(TID).state is target
        assert record.events


@pytest.mark.parametrize("step", list(RECEIVER_ACCEPT_ACTIONS))
@pytest.mark.parametrize("state", RECEIVER_STATES)
def test_receiver_accepts_only_what_its_state_allows(state: TransferState, step: Step) -> None:
    record = receiver_in(state)
    target = _target(protocol.RECEIVER_HEARS, state, step)
    if target is None:
        with pytest.raises(DomainError) as raised:
            RECEIVER_ACCEPT_ACTIONS[step](record)
        expected = "transfer_already_known" if step is Step.NOTIFY else "out_of_sequence"
        assert raised.value.code == expected
        assert record.transfer(TID).state is state
        assert [r.code for r in record.refusals] == [expected]
    else:
        RECEIVER_ACCEPT_ACTIONS[step](record)
        assert record.transfer(TID).state is target
        assert record.refusals == []
