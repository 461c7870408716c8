"""Each outgoing event → outbox → signed message → registry → command equal to the event."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.absence import AbsenceSource
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck
from ownership.domain.commands import IncomingMessage
from ownership.domain.pending import WaitingFor
from ownership.domain.transfer import CancelReason, DeclineReason, RefusalReason

from .samples import (
    ADDRESS,
    CAUSE,
    PROFILE,
    REF,
    REGISTRATION,
    REPORT,
    T0,
    TID,
    TODAY,
    contact,
    details,
    owner_record,
    place_details,
)
from .wire import Carried, carry

OWNER, RECEIVER = "GMP", "WMP"
SENT_ID = "6f1c2a8e-4b1d-4c7e-9a51-2f7d3b8c9e10"


def envelope(sender: str, recipient: str, epoch: int = 3, **fields: Any) -> dict[str, Any]:
    """The fields every outgoing event carries."""
    return {
        "reference": REF,
        "force": sender,
        "at": T0,
        "recipient": recipient,
        "transfer_id": TID,
        "epoch": epoch,
        **fields,
    }


def carried(event: e.OutgoingEvent) -> Carried:
    """``event`` carried over the wire from a record its sender holds."""
    return carry(owner_record(event.force), event)


def assert_addressed_as(result: Carried, event: e.OutgoingEvent) -> None:
    """The command's envelope fields are the event's."""
    cmd = result.command
    assert isinstance(cmd, IncomingMessage)
    assert (cmd.reference, cmd.at, cmd.sender, cmd.recipient, cmd.epoch) == (
        event.reference,
        event.at,
        event.force,
        event.recipient,
        event.epoch,
    )
    assert cmd.causation_id == event.causation_id
    assert cmd.message_id == result.outbox.message_id
    assert getattr(cmd, "transfer_id", None) == event.transfer_id


@pytest.mark.parametrize("move", [details(), details(temporary=True), place_details()])
def test_transfer_notified(move: Any) -> None:
    event = e.TransferNotified(
        **envelope(OWNER, RECEIVER, message_id=SENT_ID),
        profile=PROFILE,
        details=move,
        review=(),
        review_outcome=REPORT.notes,
        report=REPORT,
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferNotified)
    assert_addressed_as(result, event)
    assert cmd.message_id == SENT_ID
    assert (cmd.profile, cmd.details, cmd.report) == (event.profile, event.details, event.report)
    assert cmd.review_outcome == event.review_outcome
    assert str(result.received.version) == "2.1"


def test_transfer_amended() -> None:
    event = e.TransferAmended(
        **envelope(OWNER, RECEIVER, message_id=SENT_ID),
        details=details(temporary=True),
        revision=2,
        reason="The expected date moved.",
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferAmended)
    assert_addressed_as(result, event)
    assert cmd.changes == DetailsAmendment.whole(event.details)
    assert (cmd.revision, cmd.reason) == (2, event.reason)
    assert cmd.changes.apply_to(place_details()) == replace(
        event.details, interpreter_language=None, registration_due_by=None
    )


@pytest.mark.parametrize(("revision", "version"), [(1, "1.1"), (3, "1.1")])
def test_transfer_acknowledged(revision: int, version: str) -> None:
    event = e.TransferAcknowledged(
        **envelope(RECEIVER, OWNER, causation_id=CAUSE),
        revision=revision,
        received_at=T0 - timedelta(hours=2),
        consulting=("Witness protection unit",),
        contact=contact(RECEIVER),
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferAcknowledged)
    assert_addressed_as(result, event)
    assert (cmd.revision, cmd.contact, cmd.consulting) == (
        revision,
        event.contact,
        event.consulting,
    )
    assert str(result.received.version) == version


def test_transfer_declined() -> None:
    event = e.TransferDeclined(
        **envelope(RECEIVER, OWNER, causation_id=CAUSE),
        reason=DeclineReason.NOT_OURS,
        text="14 Sample Street is in West Mercia.",
        missing_information=("review.checklist.new_address_verified",),
        suggested_force="WMC",
    )
    cmd = carried(event).command
    assert isinstance(cmd, c.ReceiveTransferDeclined)
    assert (cmd.reason, cmd.text, cmd.missing_information, cmd.suggested_force) == (
        event.reason,
        event.text,
        event.missing_information,
        event.suggested_force,
    )


def test_transfer_cancelled() -> None:
    event = e.TransferCancelled(
        **envelope(OWNER, RECEIVER),
        reason="Remanded in custody.",
        reason_code=CancelReason.OFFENDER_IN_CUSTODY,
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferCancelled)
    assert_addressed_as(result, event)
    assert (cmd.reason, cmd.reason_code) == (event.reason, event.reason_code)


def test_an_expiry_travels_as_a_cancellation_for_another_reason() -> None:
    event = e.TransferCancelled(**envelope(OWNER, RECEIVER), reason="lapsed", expired=True)
    cmd = carried(event).command
    assert isinstance(cmd, c.ReceiveTransferCancelled)
    assert (cmd.reason_code, cmd.reason) == (CancelReason.OTHER, "lapsed")


def test_ownership_accepted() -> None:
    event = e.OwnershipAccepted(
        **envelope(RECEIVER, OWNER, epoch=4, causation_id=CAUSE, message_id=SENT_ID),
        registration=REGISTRATION,
        contact=contact(RECEIVER, "DC Lee Morgan"),
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveOwnershipAccepted)
    assert_addressed_as(result, event)
    assert (cmd.registration, cmd.contact) == (event.registration, event.contact)


def test_ownership_transferred() -> None:
    event = e.OwnershipTransferred(
        **envelope(OWNER, RECEIVER, epoch=4, causation_id=CAUSE),
        previous_owner=OWNER,
        records_sent=True,
        records_reference="VISOR-HANDOVER-2025-0042",
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveOwnershipTransferred)
    assert_addressed_as(result, event)
    assert (cmd.new_owner, cmd.new_epoch, cmd.effective_at) == (RECEIVER, 4, T0)
    assert (cmd.records_sent, cmd.records_reference) == (True, event.records_reference)


def test_ownership_refused() -> None:
    event = e.OwnershipRefused(
        **envelope(OWNER, RECEIVER, causation_id=CAUSE),
        reason="transfer cancelled",
        reason_code=RefusalReason.TRANSFER_SUPERSEDED,
        owner="WMC",
        owner_epoch=4,
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveOwnershipRefused)
    assert_addressed_as(result, event)
    assert (cmd.reason, cmd.reason_code, cmd.owner, cmd.owner_epoch) == (
        event.reason,
        event.reason_code,
        "WMC",
        4,
    )


@pytest.mark.parametrize(
    ("waiting_for", "overdue"),
    [
        (WaitingFor.ACKNOWLEDGEMENT, WaitingFor.ACKNOWLEDGEMENT),
        (WaitingFor.CONSULTATION, WaitingFor.ACCEPTANCE),
        (WaitingFor.ACCEPTANCE, WaitingFor.ACCEPTANCE),
    ],
)
def test_transfer_reminder(waiting_for: WaitingFor, overdue: WaitingFor) -> None:
    event = e.ReminderSent(
        **envelope(OWNER, RECEIVER),
        waiting_for=waiting_for,
        original_message_id=SENT_ID,
        originally_sent_at=T0 - timedelta(days=3),
        reminder_number=2,
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferReminder)
    assert_addressed_as(result, event)
    assert cmd.waiting_for == overdue
    assert (cmd.original_message_id, cmd.originally_sent_at, cmd.reminder_number) == (
        SENT_ID,
        event.originally_sent_at,
        2,
    )


@pytest.mark.parametrize("transfer_id", [None, TID])
def test_offender_absent(transfer_id: str | None) -> None:
    event = e.OffenderAbsent(
        **{**envelope(OWNER, "DPP", epoch=1), "transfer_id": transfer_id},
        profile=PROFILE,
        date_left=TODAY - timedelta(days=2),
        forwarding_address=ADDRESS,
        evidence="Landlord reports the flat cleared and keys returned.",
        source=AbsenceSource.LANDLORD,
    )
    result = carried(event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveOffenderAbsent)
    assert_addressed_as(result, event)
    # offender.absent carries who the offender is, not their MAPPA management.
    assert cmd.profile == replace(PROFILE, mappa=None)
    assert (cmd.date_left, cmd.forwarding_address, cmd.evidence, cmd.source) == (
        event.date_left,
        event.forwarding_address,
        event.evidence,
        event.source,
    )
    assert cmd.recorded_at == event.at


@pytest.mark.parametrize("check", list(ArrivalCheck))
def test_transfer_failed_to_arrive(check: ArrivalCheck) -> None:
    attempts = (
        ArrivalAttempt(check, T0 - timedelta(hours=5), "No answer; the landlord has not seen him."),
        ArrivalAttempt(ArrivalCheck.RECORDS_CHECKED, T0 - timedelta(hours=1), "Not registered."),
    )
    event = e.TransferFailedToArrive(
        **envelope(RECEIVER, OWNER, causation_id=CAUSE, message_id=SENT_ID),
        attempts=attempts,
        summary="Not registered nine days after the expected move date.",
    )
    result = carried(event)
    assert result.received.message_type == "transfer.failedtoarrive"
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferFailedToArrive)
    assert_addressed_as(result, event)
    assert (cmd.transfer_id, cmd.attempts, cmd.summary) == (TID, attempts, event.summary)
