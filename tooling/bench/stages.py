"""CPU per message of each stage of the node, measured in this process on real messages.

The stages are the node's own functions, called in the order the node calls them: parse,
envelope and body validation, upcast (the envelope and body models), canonicalise and verify,
the handler (translation to a command and the domain, on an in-memory unit of work), and
canonicalise and sign (what the relay does for each message out).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from consumers.translation import incoming_command
from ownership.service_layer.messagebus import message_bus
from schemas.directory import ForceDirectory
from schemas.envelope import Envelope, message_type, parse_schema_id
from schemas.jsonio import parse_message_bytes
from schemas.models import current_model
from schemas.registry import ReceivedMessage, Registry
from schemas.schema_set import SchemaSet
from schemas.signing import SigningKey, parse_public_key, sign_envelope, signature_verifies
from schemas.upcasters import upcast
from schemas.validation import first_fault
from schemas.version import Version
from tooling.bench.messages import WireMessage
from tooling.memory import FakeUnitOfWork

STAGES = ("parse", "validate", "upcast", "verify", "handler", "sign")


@dataclass(frozen=True)
class StageCosts:
    """Microseconds of CPU per message, per stage, and the whole registry check for reference."""

    micros: dict[str, float]
    receive_micros: float

    @property
    def total_micros(self) -> float:
        return sum(self.micros.values())

    @property
    def predicted_msg_s(self) -> float:
        """The rate one core could reach if the node did nothing but these stages."""
        return 1e6 / self.total_micros


def _per_message(work: Callable[[Any], Any], items: Sequence[Any]) -> float:
    started = time.process_time()
    for item in items:
        work(item)
    return (time.process_time() - started) / len(items) * 1e6


async def measure_stages(
    messages: Sequence[WireMessage],
    *,
    receiver: str,
    sender_key: SigningKey,
    directory: ForceDirectory,
    schemas: SchemaSet,
) -> StageCosts:
    """Time each stage over `messages` (all valid and addressed to `receiver`)."""
    raws = [m.raw for m in messages]
    documents = [parse_message_bytes(raw) for raw in raws]
    registry = Registry(directory, force=receiver, schemas=schemas)
    entry = directory.key(sender_key.kid)
    if entry is None:
        raise ValueError(f"{sender_key.kid} is not in the directory")
    public_key = parse_public_key(entry[1].public_key)
    received = [registry.receive(raw) for raw in raws]
    micros = {
        "parse": _per_message(parse_message_bytes, raws),
        "validate": _per_message(lambda d: _validate(schemas, d), documents),
        "upcast": _per_message(_upcast, documents),
        "verify": _per_message(lambda d: signature_verifies(d, public_key), documents),
        "handler": await _handler_micros(received, receiver),
        "sign": _per_message(lambda d: sign_envelope(d, sender_key), documents),
    }
    return StageCosts(micros, _per_message(registry.receive, raws))


def _validate(schemas: SchemaSet, document: dict[str, Any]) -> None:
    if first_fault(schemas.envelope_validator(), document) is not None:
        raise ValueError("the envelope is invalid")
    name = message_type(document["type"])
    version = Version.parse(parse_schema_id(document["dataschema"])[1])
    if first_fault(schemas.validator(name, version), document["data"], "/data") is not None:
        raise ValueError("the body is invalid")


def _upcast(document: dict[str, Any]) -> None:
    Envelope.model_validate(document)
    name = message_type(document["type"])
    version = Version.parse(parse_schema_id(document["dataschema"])[1])
    current_model(name).model_validate(upcast(name, version, document["data"]))


async def _handler_micros(received: Sequence[ReceivedMessage], receiver: str) -> float:
    """Translation and the domain handler, each message on a fresh in-memory unit of work."""
    started = time.process_time()
    for message in received:
        uow = FakeUnitOfWork(receiver)
        await message_bus(uow).handle(incoming_command(message))
    return (time.process_time() - started) / len(received) * 1e6
