"""The CloudEvents 1.0 structured-mode envelope every message travels in."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field

from schemas.models.common import Epoch, ForceCode, MessageId, OffenderReference, WireModel
from schemas.version import VERSION_PATTERN

SPECVERSION = "1.0"
TYPE_PREFIX = "uk.police.interforce."
DATACONTENTTYPE = "application/json"
SCHEMA_BASE_URL = "https://interforce.police.uk/schemas"
ENVELOPE_NAME = "envelope"
ENVELOPE_VERSION = "1.0"

_NAME_PATTERN = r"[a-z]{1,32}\.[a-z]{1,32}"
_TYPE_PATTERN = rf"^uk\.police\.interforce\.{_NAME_PATTERN}$"
_SCHEMA_PATH = r"https://interforce\.police\.uk/schemas/"
_DATASCHEMA_PATTERN = rf"^{_SCHEMA_PATH}{_NAME_PATTERN}/{VERSION_PATTERN}\.json$"
_SCHEMA_ID = re.compile(rf"{_SCHEMA_PATH}({_NAME_PATTERN})/({VERSION_PATTERN})\.json")


class Envelope(WireModel):
    """A signed CloudEvents 1.0 event: who sent what about whom to whom; `data` holds the body.

    `signature` is an Ed25519 signature, base64url without padding, over the RFC 8785 canonical
    JSON of the whole envelope without `signature`; `kid` names the key in the force directory.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "specversion": "1.0",
                    "id": "6f1c2a8e-4b1d-4c7e-9a51-2f7d3b8c9e10",
                    "type": "uk.police.interforce.transfer.cancelled",
                    "source": "GMP",
                    "subject": "GMP-2019-004512",
                    "time": "2025-06-20T14:05:00Z",
                    "dataschema": f"{SCHEMA_BASE_URL}/transfer.cancelled/1.0.json",
                    "datacontenttype": "application/json",
                    "recipient": "WMP",
                    "transferid": "3b0e7f4c-2d6a-4f1b-8c9d-5e4a3b2c1d0e",
                    "epoch": 3,
                    "kid": "gmp-2024",
                    "signature": "A" * 86,
                    "data": {"reason_code": "move_abandoned", "reason": "The move is off."},
                }
            ]
        }
    )

    specversion: Literal["1.0"] = Field(description="CloudEvents version: always `1.0`.")
    id: MessageId = Field(description="Unique per message; the idempotency key.")
    type: str = Field(
        pattern=_TYPE_PATTERN,
        description="`uk.police.interforce.<name>`, e.g. `uk.police.interforce.transfer.notified`.",
    )
    source: ForceCode = Field(description="The sending force's code.")
    subject: OffenderReference | None = Field(
        default=None,
        description="The offender reference; absent only for ownership.query and ownership.status.",
    )
    time: AwareDatetime = Field(description="When the sender created the message (RFC 3339).")
    dataschema: str = Field(
        pattern=_DATASCHEMA_PATTERN,
        description="The `$id` of the exact JSON Schema version the body follows.",
    )
    datacontenttype: Literal["application/json"] = Field(description="Always `application/json`.")
    recipient: ForceCode = Field(description="The force the message is addressed to.")
    transferid: MessageId | None = Field(default=None, description="The transfer it belongs to.")
    epoch: Epoch | None = Field(
        default=None, description="The epoch of the offender's record as the sender holds it."
    )
    causationid: MessageId | None = Field(
        default=None, description="The `id` of the message that caused this one."
    )
    kid: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$",
        description="The id of the signing key in the force directory.",
    )
    signature: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{86}$",
        description="Ed25519 signature, base64url without padding, over the canonical envelope.",
    )
    data: dict[str, Any] = Field(description="The message body, as its `dataschema` describes.")


def event_type(message_type: str) -> str:
    """The CloudEvents `type` of a message type, e.g. `uk.police.interforce.transfer.notified`."""
    return TYPE_PREFIX + message_type


def message_type(event_type_value: str) -> str:
    """The message type named by a CloudEvents `type` (the part after the prefix)."""
    return event_type_value.removeprefix(TYPE_PREFIX)


def schema_id(name: str, version: str) -> str:
    """The `$id` of a schema file, which is also the `dataschema` of messages that follow it."""
    return f"{SCHEMA_BASE_URL}/{name}/{version}.json"


def parse_schema_id(url: str) -> tuple[str, str]:
    """Split a `dataschema` into its message type and version text; `ValueError` if it does
    not follow the envelope's pattern (whose version part `Version.parse` reads)."""
    match = _SCHEMA_ID.fullmatch(url)
    if match is None:
        msg = f"not an interforce schema id: {url[:200]!r}"
        raise ValueError(msg)
    return match[1], match[2]
