"""The envelope fields every incoming command carries."""

from __future__ import annotations

from typing import Any, TypeVar

from schemas.envelope import Envelope
from schemas.errors import EnvelopeInvalid
from schemas.models.common import WireModel
from schemas.registry import ReceivedMessage

T = TypeVar("T")
B = TypeVar("B", bound=WireModel)


def body_as(received: ReceivedMessage, model: type[B]) -> B:
    """The received body as the current model of its type."""
    if not isinstance(received.body, model):
        msg = f"{received.message_type} body is {type(received.body).__name__}"
        raise TypeError(msg)
    return received.body


def message_fields(envelope: Envelope) -> dict[str, Any]:
    """Sender, recipient, offender, epoch, ids and time: what every incoming command holds."""
    return {
        "reference": present(envelope.subject, "subject"),
        "at": envelope.time,
        "sender": envelope.source,
        "recipient": envelope.recipient,
        "epoch": present(envelope.epoch, "epoch"),
        "message_id": envelope.id,
        "causation_id": envelope.causationid,
    }


def transfer_fields(envelope: Envelope) -> dict[str, Any]:
    """The fields of a command about one transfer."""
    return {**message_fields(envelope), "transfer_id": present(envelope.transferid, "transferid")}


def present(value: T | None, attribute: str) -> T:
    """An envelope attribute the registry has already required of this type."""
    if value is None:
        raise EnvelopeInvalid(f"{attribute} is required", pointer=f"/{attribute}")
    return value
