"""The messages of the commit's deadline over the real wire: withdrawal, lapse, commit reminder.

Each outgoing event → outbox → signed message → registry → the command it must become.
"""

from __future__ import annotations

from typing import Any

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.pending import WaitingFor
from ownership.domain.transfer import RefusalReason

from .samples import CAUSE, REF, T0, TID, owner_record
from .wire import carry

OWNER, RECEIVER = "GMP", "WMP"


def _addressed(sender: str, recipient: str) -> dict[str, Any]:
    return {
        "reference": REF,
        "force": sender,
        "at": T0,
        "recipient": recipient,
        "transfer_id": TID,
        "epoch": 3,
        "causation_id": CAUSE,
    }


def test_a_withdrawal_arrives_as_the_receivers_withdrawal_with_its_reason() -> None:
    event = e.AcceptanceWithdrawn(
        **_addressed(RECEIVER, OWNER),
        reason="The offender has not reported at the new address.",
    )
    result = carry(owner_record(RECEIVER), event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveOwnershipWithdrawn)
    assert (cmd.sender, cmd.recipient, cmd.epoch, cmd.transfer_id) == (RECEIVER, OWNER, 3, TID)
    assert (cmd.reason, cmd.causation_id) == (event.reason, CAUSE)
    assert (result.received.message_type, str(result.received.version)) == (
        "ownership.withdrawn",
        "1.0",
    )


def test_a_lapse_arrives_as_a_refusal_that_says_it_lapsed() -> None:
    event = e.OwnershipRefused(
        **_addressed(OWNER, RECEIVER),
        reason="the acceptance lapsed before it was committed",
        owner=OWNER,
        owner_epoch=3,
        lapsed=True,
    )
    result = carry(owner_record(OWNER), event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveOwnershipRefused)
    assert (cmd.lapsed, cmd.owner, cmd.owner_epoch) == (True, OWNER, 3)
    assert cmd.reason_code is RefusalReason.TRANSFER_CANCELLED
    assert result.outbox.body["lapsed"] is True
    assert str(result.received.version) == "1.1"


def test_a_plain_refusal_does_not_say_it_lapsed() -> None:
    event = e.OwnershipRefused(
        **_addressed(OWNER, RECEIVER),
        reason="the transfer was cancelled",
    )
    result = carry(owner_record(OWNER), event)
    assert isinstance(result.command, c.ReceiveOwnershipRefused)
    assert result.command.lapsed is False
    assert "lapsed" not in result.outbox.body


def test_a_commit_reminder_arrives_as_a_reminder_of_the_commit() -> None:
    event = e.ReminderSent(
        **_addressed(RECEIVER, OWNER),
        waiting_for=WaitingFor.COMMIT,
        original_message_id=CAUSE,
        originally_sent_at=T0,
        reminder_number=2,
    )
    result = carry(owner_record(RECEIVER), event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferReminder)
    assert (cmd.waiting_for, cmd.original_message_id, cmd.reminder_number) == (
        WaitingFor.COMMIT,
        CAUSE,
        2,
    )
    assert str(result.received.version) == "1.1"


def test_an_acceptance_reminder_still_arrives_as_one() -> None:
    event = e.ReminderSent(
        **_addressed(OWNER, RECEIVER),
        waiting_for=WaitingFor.ACCEPTANCE,
        original_message_id=CAUSE,
        originally_sent_at=T0,
    )
    cmd = carry(owner_record(OWNER), event).command
    assert isinstance(cmd, c.ReceiveTransferReminder)
    assert cmd.waiting_for == WaitingFor.ACCEPTANCE
