"""What the record keeps and says so that its messages can be written to the wire."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ownership.domain import commands as c
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.errors import MisaddressedError
from ownership.domain.events import OwnershipRefused, ReminderSent, TransferNotified
from ownership.domain.pending import WaitingFor
from ownership.domain.review_report import ReviewMethod, ReviewOutcome
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import RefusalReason
from ownership.domain.values import RiskAssessment, RiskLevel

from .builders import OWNER, RECEIVER, TID, local, message, move, owner_in, receiver_in

S = TransferState


def test_a_notification_reports_the_review_and_names_its_message() -> None:
    record = owner_in(S.READY)
    notify = local(c.NotifyTransfer, transfer_id=TID, review_outcome=ReviewOutcome.NO_CONCERNS)
    record.notify(notify)
    event = record.events[-1]
    assert isinstance(event, TransferNotified)
    assert event.report is not None
    assert (event.report.method, event.report.outcome) == (
        ReviewMethod.HOME_VISIT,
        ReviewOutcome.NO_CONCERNS,
    )
    assert record.transfer(TID).last_message(Step.NOTIFY).message_id == event.message_id  # type: ignore[union-attr]


def test_a_notification_without_an_outcome_has_no_report() -> None:
    record = owner_in(S.READY)
    record.notify(local(c.NotifyTransfer, transfer_id=TID))
    event = record.events[-1]
    assert isinstance(event, TransferNotified)
    assert event.report is None


def test_a_reminder_names_the_message_still_waiting_and_counts() -> None:
    record = owner_in(S.NOTIFIED)
    notified = record.transfer(TID).last_message(Step.NOTIFY)
    assert notified is not None
    for _ in range(2):
        record.send_reminder(local(c.SendReminder, transfer_id=TID))
    sent = record.events[-1]
    assert isinstance(sent, ReminderSent)
    assert (sent.original_message_id, sent.originally_sent_at, sent.reminder_number) == (
        notified.message_id,
        notified.at,
        2,
    )


def test_a_commit_reminder_chases_the_receivers_acceptance() -> None:
    record = receiver_in(S.ACCEPTED)
    accepted = record.transfer(TID).last_message(Step.ACCEPT)
    assert accepted is not None
    record.send_reminder(local(c.SendReminder, transfer_id=TID))
    sent = record.events[-1]
    assert isinstance(sent, ReminderSent)
    assert (sent.recipient, sent.waiting_for, sent.original_message_id) == (
        OWNER,
        WaitingFor.COMMIT,
        accepted.message_id,
    )


def test_a_refused_acceptance_says_why_and_who_owns() -> None:
    record = owner_in(S.CANCELLED)
    record.receive_acceptance(message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2))
    refused = next(e for e in record.events if isinstance(e, OwnershipRefused))
    assert (refused.reason_code, refused.owner, refused.owner_epoch) == (
        RefusalReason.TRANSFER_CANCELLED,
        OWNER,
        1,
    )


def test_a_handover_naming_another_owner_is_refused() -> None:
    record = receiver_in(S.ACCEPTED)
    handover = message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2, new_owner="C")
    with pytest.raises(MisaddressedError):
        record.receive_ownership(handover)
    assert record.epoch == 1


def test_an_amendment_replaces_only_the_sections_it_carries() -> None:
    record = receiver_in(S.NOTIFIED)
    before = record.transfer(TID).details
    changes = DetailsAmendment(risk=RiskAssessment(RiskLevel.VERY_HIGH))
    record.receive_amendment(
        message(c.ReceiveTransferAmended, OWNER, RECEIVER, changes=changes, revision=2, reason="r")
    )
    assert record.transfer(TID).details == replace(before, risk_level=RiskLevel.VERY_HIGH)
    assert before == move()
