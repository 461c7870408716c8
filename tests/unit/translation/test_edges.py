"""What cannot be translated: unhandled types, missing data, and the 1.0 acknowledgement."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from consumers.translation import incoming_command
from ownership.adapters.outbox import OutboxMessage
from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.commands import ReceiveOwnershipQuery, ReceiveOwnershipStatus
from ownership.domain.events import ConsultationOpened
from ownership.domain.held_views import HeldView, Position
from ownership.domain.pending import WaitingFor
from producers.translation import UntranslatableEventError, outgoing_message
from schemas.errors import VersionNotExpressibleError
from schemas.models.ownership import OwnershipQuery, OwnershipStatus, RecordStatus
from schemas.outgoing import Addressing, prepare_message
from schemas.registry import ReceivedMessage
from tests.keys import load_test_key

from .samples import CAUSE, PROFILE, REF, REPORT, T0, TID, contact, details, owner_record
from .wire import carry, directory, registry, schema_set, sign

NO_TELEPHONE = replace(contact("GMP"), telephone="")


def _signed(body: OwnershipQuery | OwnershipStatus, causation: str | None) -> ReceivedMessage:
    raw = prepare_message(
        body,
        Addressing(sender="GMP", recipient="WMP", causationid=causation),
        directory=directory(),
        key=load_test_key("gmp-2024"),
        schemas=schema_set(),
        time=T0,
    )
    return registry("WMP").receive(raw)


def test_a_query_becomes_the_command_that_answers_it() -> None:
    received = _signed(OwnershipQuery(offenders=[REF]), None)
    command = incoming_command(received)
    assert isinstance(command, ReceiveOwnershipQuery)
    assert (command.sender, command.recipient, command.offenders) == ("GMP", "WMP", (REF,))
    assert command.message_id == received.envelope.id


def test_a_status_becomes_the_views_to_compare_and_names_its_query() -> None:
    records = [
        RecordStatus(offender=REF, known=True, owner="GMP", epoch=3, state="transferred_away"),
        RecordStatus(offender="GMP-2020-000001", known=False),
    ]
    command = incoming_command(_signed(OwnershipStatus(records=records), CAUSE))
    assert isinstance(command, ReceiveOwnershipStatus)
    assert command.causation_id == CAUSE
    assert command.views == (
        HeldView(REF, True, "GMP", 3, Position.TRANSFERRED_AWAY),
        HeldView("GMP-2020-000001", known=False),
    )


def test_a_local_event_sends_nothing() -> None:
    event = ConsultationOpened(reference=REF, force="WMP", at=T0, transfer_id=TID)
    assert outgoing_message(owner_record(), event) is None


def _notified(**changes: object) -> e.TransferNotified:
    event = e.TransferNotified(
        reference=REF,
        force="GMP",
        at=T0,
        recipient="WMP",
        transfer_id=TID,
        epoch=1,
        profile=PROFILE,
        details=details(),
        review=(),
        review_outcome="",
        report=REPORT,
    )
    return replace(event, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event", "missing"),
    [
        (_notified(profile=replace(PROFILE, identity=None)), "identity"),
        (_notified(report=None), "review"),
        (_notified(details=replace(details(), contacts=())), "contact"),
        (
            _notified(details=replace(details(), contacts=(NO_TELEPHONE,))),
            "telephone",
        ),
        (_notified(details=replace(details(), interpreter_language="")), "interpreter_language"),
    ],
)
def test_a_notification_missing_what_the_wire_needs_is_not_written(
    event: e.TransferNotified, missing: str
) -> None:
    with pytest.raises(UntranslatableEventError, match=missing):
        outgoing_message(owner_record(), event)


def _reminder(waits: WaitingFor) -> e.ReminderSent:
    return e.ReminderSent(
        reference=REF,
        force="WMP",
        at=T0,
        recipient="GMP",
        transfer_id=TID,
        epoch=1,
        waiting_for=waits,
        original_message_id=CAUSE,
        originally_sent_at=T0,
    )


def test_a_reminder_the_wire_cannot_carry_is_not_written() -> None:
    with pytest.raises(UntranslatableEventError, match="review"):
        outgoing_message(owner_record(), _reminder(WaitingFor.REVIEW))


def test_a_commit_reminder_is_written_as_an_acceptance_awaiting_the_commit() -> None:
    message = outgoing_message(owner_record(), _reminder(WaitingFor.COMMIT))
    assert message is not None
    assert (message.message_type, message.body["overdue"], message.body["awaiting"]) == (
        "transfer.reminder",
        "acceptance",
        "commit",
    )
    plain = outgoing_message(owner_record(), _reminder(WaitingFor.ACCEPTANCE))
    assert plain is not None
    assert "awaiting" not in plain.body


def _acknowledgement(revision: int) -> e.TransferAcknowledged:
    return e.TransferAcknowledged(
        reference=REF,
        force="GMP",
        at=T0,
        recipient="DPP",
        transfer_id=TID,
        epoch=1,
        revision=revision,
        contact=contact("GMP"),
    )


def test_a_force_listing_only_1_0_gets_the_first_revision_acknowledged_in_1_0() -> None:
    carried = carry(owner_record("GMP"), _acknowledgement(1))
    assert str(carried.received.version) == "1.0"
    assert "revision" not in carried.outbox.body
    assert isinstance(carried.command, c.ReceiveTransferAcknowledged)
    assert carried.command.revision == 1


def test_an_amendment_acknowledged_cannot_be_sent_in_1_0_rather_than_lose_its_revision() -> None:
    outbox = outgoing_message(owner_record("GMP"), _acknowledgement(2))
    assert isinstance(outbox, OutboxMessage)
    with pytest.raises(VersionNotExpressibleError):
        sign(outbox, "GMP", T0 + timedelta(minutes=1))
