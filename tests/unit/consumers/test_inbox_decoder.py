"""The inbox decoder over the real registry: signed bytes in, an accepted command or a refusal.

The messages are made the way a sending node makes them (tests/unit/translation/wire.py):
an event of a real record, through the outbox row, signed with the test keys.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from consumers.records import InboxRecord
from consumers.refusal import Refused
from consumers.translation import UnhandledMessageType
from interforce.node import decoding
from interforce.node.decoding import InboxDecoder
from ownership.domain import events as e
from ownership.domain.commands import IncomingMessage
from ownership.domain.transfer import CancelReason
from schemas.directory import ForceDirectory
from schemas.errors import CheckFailed
from schemas.registry import ReceivedMessage, Registry
from tests.unit.translation.samples import REF, T0, TID, owner_record
from tests.unit.translation.wire import Carried, carry, directory, schema_set

OWNER, RECEIVER = "GMP", "WMP"
ARRIVED = T0 + timedelta(minutes=3)


def cancellation() -> Carried:
    event = e.TransferCancelled(
        reference=REF,
        force=OWNER,
        at=T0,
        recipient=RECEIVER,
        transfer_id=TID,
        epoch=3,
        reason="the move is off",
        reason_code=CancelReason.MOVE_ABANDONED,
    )
    return carry(owner_record(OWNER), event)


class Registries:
    """Builds the receiver's registry for a directory, and counts how often it did."""

    def __init__(self) -> None:
        self.built: list[ForceDirectory] = []

    def __call__(self, forces: ForceDirectory) -> Registry:
        self.built.append(forces)
        return Registry(forces, force=RECEIVER, schemas=schema_set())


def inbox(value: bytes, offset: int = 7) -> InboxRecord:
    return InboxRecord(f"interforce.{RECEIVER.lower()}.inbox", 0, offset, REF.encode(), value)


def test_a_signed_message_becomes_the_accepted_command_with_its_envelope() -> None:
    carried = cancellation()
    record = inbox(carried.raw)
    accepted = InboxDecoder(Registries(), directory, clock=lambda: ARRIVED)(record)
    envelope = carried.received.envelope
    assert accepted.record is record
    assert (accepted.sender, accepted.message_id, accepted.subject) == (
        OWNER,
        envelope.id,
        REF,
    )
    assert accepted.message_type == "transfer.cancelled"
    sent = carried.command
    assert isinstance(sent, IncomingMessage)
    assert accepted.message == replace(sent, received_at=ARRIVED)


def test_bytes_that_are_not_a_message_are_refused_with_the_registrys_reason() -> None:
    with pytest.raises(Refused) as refusal:
        InboxDecoder(Registries(), directory)(inbox(b"{truncated"))
    assert refusal.value.reason == "not-json"
    assert (
        refusal.value.detail
        == "Expecting property name enclosed in double quotes (line 1 column 2)"
    )
    assert (refusal.value.sender, refusal.value.message_id) == (None, None)


def test_a_refusal_says_where_in_the_message_the_fault_is() -> None:
    document = json.loads(cancellation().raw)
    document["data"]["reason_code"] = "bored"
    with pytest.raises(Refused) as refusal:
        InboxDecoder(Registries(), directory)(inbox(json.dumps(document).encode()))
    assert (refusal.value.reason, refusal.value.detail) == (
        "body-invalid",
        "expected one of move_abandoned, offender_in_custody, offender_deceased,"
        " notified_in_error, other at /data/reason_code",
    )


def test_a_valid_message_of_a_type_not_handled_is_refused_naming_its_sender_and_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    carried = cancellation()

    def unhandled(received: ReceivedMessage, *, received_at: datetime) -> object:
        raise UnhandledMessageType("transfer.cancelled is valid but not handled", pointer="/type")

    monkeypatch.setattr(decoding, "incoming_command", unhandled)
    with pytest.raises(Refused) as refusal:
        InboxDecoder(Registries(), directory)(inbox(carried.raw))
    assert (refusal.value.reason, refusal.value.sender, refusal.value.message_id) == (
        "unhandled-type",
        OWNER,
        carried.received.envelope.id,
    )
    assert refusal.value.detail == "transfer.cancelled is valid but not handled at /type"


def test_the_registry_is_built_once_per_directory_and_again_when_it_changes() -> None:
    registries = Registries()
    current = [directory()]
    decoder = InboxDecoder(registries, lambda: current[0])
    first = decoder.registry()
    assert decoder.registry() is first
    assert registries.built == [directory()]
    current[0] = copy.copy(directory())
    assert decoder.registry() is not first
    assert [d is current[0] for d in registries.built] == [False, True]


def test_a_fault_of_ours_checking_a_message_keeps_its_exception_for_the_log() -> None:
    cause = ValueError("a bug in a check")

    class Failing:
        def receive(self, value: bytes) -> ReceivedMessage:
            raise CheckFailed("ValueError while checking: a bug in a check") from cause

    decoder = InboxDecoder(lambda forces: Failing(), directory)  # type: ignore[arg-type, return-value]
    with pytest.raises(Refused) as refusal:
        decoder(inbox(cancellation().raw))
    assert (refusal.value.reason, refusal.value.fault) == ("internal-error", cause)


def test_a_refusal_of_the_senders_making_carries_no_fault_of_ours() -> None:
    with pytest.raises(Refused) as refusal:
        InboxDecoder(Registries(), directory)(inbox(b"{truncated"))
    assert refusal.value.fault is None
