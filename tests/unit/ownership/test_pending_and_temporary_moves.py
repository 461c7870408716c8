"""What each record waits for, and temporary moves whose return is due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain.errors import InvalidDetailsError
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState
from ownership.domain.values import MoveDetails, MoveKind, RiskLevel

from .builders import (
    OWNER,
    RECEIVER,
    TID,
    TODAY,
    address,
    complete_review,
    local,
    message,
    move,
    owner_in,
    receiver_in,
    register,
)

S = TransferState


@pytest.mark.parametrize(
    ("state", "waits", "party"),
    [
        (S.DRAFT, WaitingFor.REVIEW, OWNER),
        (S.READY, WaitingFor.NOTIFICATION, OWNER),
        (S.NOTIFIED, WaitingFor.ACKNOWLEDGEMENT, RECEIVER),
        (S.AMENDED, WaitingFor.ACKNOWLEDGEMENT, RECEIVER),
        (S.ACKNOWLEDGED, WaitingFor.ACCEPTANCE, RECEIVER),
        (S.ACCEPTED, WaitingFor.COMMIT, OWNER),
    ],
)
def test_the_owner_sees_what_a_live_transfer_waits_for(
    state: TransferState, waits: WaitingFor, party: str
) -> None:
    (item,) = owner_in(state).pending(TODAY)
    assert (item.transfer_id, item.waiting_for, item.party) == (TID, waits, party)


@pytest.mark.parametrize(
    ("state", "consulted", "waits", "party"),
    [
        (S.NOTIFIED, True, WaitingFor.ACKNOWLEDGEMENT, RECEIVER),
        (S.ACKNOWLEDGED, False, WaitingFor.CONSULTATION, RECEIVER),
        (S.ACKNOWLEDGED, True, WaitingFor.ACCEPTANCE, RECEIVER),
        (S.ACCEPTED, True, WaitingFor.COMMIT, OWNER),
    ],
)
def test_the_receiver_sees_what_a_live_transfer_waits_for(
    state: TransferState, consulted: bool, waits: WaitingFor, party: str
) -> None:
    (item,) = receiver_in(state, consulted=consulted).pending(TODAY)
    assert (item.waiting_for, item.party) == (waits, party)


@pytest.mark.parametrize("state", [S.COMMITTED, S.DECLINED, S.CANCELLED, S.EXPIRED])
def test_a_closed_transfer_waits_for_nothing(state: TransferState) -> None:
    assert owner_in(state).pending(TODAY) == ()


def test_acceptance_is_overdue_after_the_expected_date() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    expected = record.transfer(TID).details.expected_date
    (on_time,) = record.pending(expected)
    (late,) = record.pending(expected + timedelta(days=1))
    assert (on_time.overdue, late.overdue) == (False, True)


def test_a_temporary_move_needs_an_end_date_after_it_starts() -> None:
    with pytest.raises(InvalidDetailsError):
        MoveDetails(MoveKind.TEMPORARY, TODAY, RiskLevel.LOW, new_address=address())
    with pytest.raises(InvalidDetailsError):
        MoveDetails(
            MoveKind.TEMPORARY,
            TODAY,
            RiskLevel.LOW,
            new_address=address(),
            end_date=TODAY - timedelta(1),
        )


def _temporarily_moved() -> tuple[OffenderRecord, date]:
    end = TODAY + timedelta(days=30)
    owner = register()
    owner.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move(end))
    )
    complete_review(owner)
    owner.notify(local(c.NotifyTransfer, transfer_id=TID))
    owner.receive_acceptance(message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2))
    owner.commit(local(c.CommitTransfer, transfer_id=TID))
    return owner, end


def test_a_committed_temporary_move_shows_its_return_and_when_it_is_overdue() -> None:
    owner, end = _temporarily_moved()
    assert owner.history[-1].temporary_until == end
    (due,) = owner.pending(end)
    assert (due.waiting_for, due.party, due.due, due.overdue) == (
        WaitingFor.RETURN,
        RECEIVER,
        end,
        False,
    )
    assert owner.overdue_return(end) is None
    assert owner.overdue_return(end + timedelta(1)) is not None


def test_the_return_is_a_transfer_back_that_closes_the_temporary_move() -> None:
    receiver = receiver_in(S.ACCEPTED)
    temporary = receiver.transfer(TID)
    temporary.details = move(TODAY + timedelta(days=30))
    receiver.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2))
    assert receiver.temporary_move is not None
    receiver.start_transfer(
        local(c.StartTransfer, transfer_id="R1", receiver=OWNER, details=move())
    )
    assert receiver.transfer("R1").return_of == TID
    complete_review(receiver, "R1")
    receiver.notify(local(c.NotifyTransfer, transfer_id="R1"))
    receiver.receive_acceptance(
        message(c.ReceiveOwnershipAccepted, OWNER, RECEIVER, 3, transfer_id="R1")
    )
    receiver.commit(local(c.CommitTransfer, transfer_id="R1"))
    assert (receiver.owner, receiver.epoch) == (OWNER, 3)
    assert receiver.overdue_return(TODAY + timedelta(days=365)) is None
    assert receiver.pending(TODAY + timedelta(days=60)) == ()
