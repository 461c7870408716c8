"""Building outgoing messages: pick the recipient's version, write the body in it, sign it.

A producer sends the highest version of a type that both this node knows and the recipient
lists in the force directory. The body is written from the current model; if the chosen
version cannot carry everything in it, `VersionNotExpressibleError` is raised and nothing is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from canonical.json import is_plain
from schemas.directory import ForceDirectory
from schemas.envelope import DATACONTENTTYPE, SPECVERSION, event_type, schema_id
from schemas.errors import NoCommonVersionError, VersionNotExpressibleError
from schemas.expressers import EXPRESSERS
from schemas.kinds import KINDS_BY_NAME
from schemas.models import current_version, message_type_of
from schemas.models.common import WireModel
from schemas.registry import utc_now
from schemas.schema_set import SchemaSet
from schemas.signing import SigningKey, sign_envelope
from schemas.validation import first_envelope_fault, first_fault
from schemas.version import Version

Disclose = Callable[[str, Version, dict[str, Any]], dict[str, Any]]
"""(type, version, written body) → the body as the recipient may see it."""


@dataclass(frozen=True)
class Addressing:
    """Who a message is from and to, and which offender, transfer and epoch it concerns."""

    sender: str
    recipient: str
    subject: str | None = None
    transferid: str | None = None
    epoch: int | None = None
    causationid: str | None = None


def choose_version(
    directory: ForceDirectory, recipient: str, message_type: str, schemas: SchemaSet
) -> Version:
    """The highest version of a type that this node knows and the recipient lists."""
    force = directory.force(recipient)
    listed = set(force.supported_versions(message_type)) if force is not None else set()
    common = listed & set(schemas.versions(message_type))
    if not common:
        msg = f"{recipient} lists no version of {message_type} that this node can send"
        raise NoCommonVersionError(msg)
    return max(common)


def build_body(body: WireModel, version: Version, schemas: SchemaSet) -> dict[str, Any]:
    """The current-model `body` written as its type's `version`, checked against that schema."""
    return _express(message_type_of(body), written_now(body), version, schemas)[0]


def written_now(body: WireModel) -> dict[str, Any]:
    """A body as its type's current version writes it (what an outbox row keeps)."""
    written: dict[str, Any] = body.model_dump(mode="json", exclude_none=True)
    return written


def _express(
    name: str, current: dict[str, Any], version: Version, schemas: SchemaSet
) -> tuple[dict[str, Any], bool]:
    """A body written in its type's current version, expressed in `version` and checked, and
    whether it is plain (`canonical.json.is_plain`).

    A body for an earlier major version is first checked against the current schema, so the
    expressers only ever read the shape they were written for.
    """
    now = current_version(name)
    written = current
    if version != now:
        _check(schemas, name, now, written, "is not a valid", plain=False)
    for major in range(now.major, version.major, -1):
        written = EXPRESSERS[(name, major)](written)
    plain = is_plain(written)
    _check(schemas, name, version, written, "cannot carry this", plain=plain)
    return written, plain


def _check(
    schemas: SchemaSet,
    name: str,
    version: Version,
    body: dict[str, Any],
    problem: str,
    *,
    plain: bool,
) -> None:
    fault = first_fault(schemas.validator(name, version), body, plain=plain)
    if fault is not None:
        pointer, rule = fault
        msg = f"{name} {version} {problem} body: {rule} at {pointer or '/'}"
        raise VersionNotExpressibleError(msg)


def compose_envelope(
    name: str,
    version: Version,
    data: Mapping[str, Any],
    addressing: Addressing,
    *,
    message_id: str | None = None,
    time: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned envelope around a body already written in `version`."""
    envelope: dict[str, Any] = {
        "specversion": SPECVERSION,
        "id": message_id or str(uuid.uuid4()),
        "type": event_type(name),
        "source": addressing.sender,
        "time": (time or utc_now()).isoformat().replace("+00:00", "Z"),
        "dataschema": schema_id(name, str(version)),
        "datacontenttype": DATACONTENTTYPE,
        "recipient": addressing.recipient,
    }
    kind = KINDS_BY_NAME[name]
    for attribute in ("subject", "transferid", "epoch", "causationid"):
        value = getattr(addressing, attribute)
        rule = kind.presence(attribute)
        if (value is None and rule == "required") or (value is not None and rule == "absent"):
            msg = f"{attribute} is {'required' if rule == 'required' else 'not allowed'} in {name}"
            raise ValueError(msg)
        if value is not None:
            envelope[attribute] = value
    envelope["data"] = dict(data)
    return envelope


def encode_message(envelope: Mapping[str, Any]) -> bytes:
    """The bytes put on the wire: compact UTF-8 JSON."""
    return orjson.dumps(envelope)


def prepare_message(
    body: WireModel,
    addressing: Addressing,
    *,
    directory: ForceDirectory,
    key: SigningKey,
    schemas: SchemaSet,
    message_id: str | None = None,
    time: datetime | None = None,
    disclose: Disclose | None = None,
) -> bytes:
    """Everything a producer needs: choose the version, write the body, wrap, sign and encode.

    `disclose`, if given, may take optional fields out of the written body before it is
    signed (least disclosure); the body must still satisfy the recipient's version.
    """
    return prepare_written(
        message_type_of(body),
        written_now(body),
        addressing,
        directory=directory,
        key=key,
        schemas=schemas,
        message_id=message_id,
        time=time,
        disclose=disclose,
    )


def prepare_written(
    name: str,
    current: dict[str, Any],
    addressing: Addressing,
    *,
    directory: ForceDirectory,
    key: SigningKey,
    schemas: SchemaSet,
    message_id: str | None = None,
    time: datetime | None = None,
    disclose: Disclose | None = None,
) -> bytes:
    """`prepare_message` for a body already written in its type's current version
    (`written_now`), as an outbox row keeps it: no model is built on the way."""
    if key.force != addressing.sender:
        msg = f"key {key.kid} belongs to {key.force}, not the sender {addressing.sender}"
        raise ValueError(msg)
    version = choose_version(directory, addressing.recipient, name, schemas)
    data, plain = _express(name, current, version, schemas)
    if disclose is not None:
        disclosed = disclose(name, version, data)
        if disclosed != data:
            plain = is_plain(disclosed)
            fault = first_fault(schemas.validator(name, version), disclosed, plain=plain)
            if fault is not None:
                msg = f"the disclosed {name} {version} body is invalid: {fault[1]} at {fault[0]}"
                raise VersionNotExpressibleError(msg)
        data = disclosed
    envelope = compose_envelope(name, version, data, addressing, message_id=message_id, time=time)
    # the body's plainness is known: only the envelope's own members are left to look at
    plain = plain and is_plain({member: v for member, v in envelope.items() if member != "data"})
    fault = first_envelope_fault(schemas.envelope_validator(), envelope, plain=plain)
    if fault is not None:
        msg = f"the envelope would be invalid: {fault[1]} at {fault[0]}"
        raise ValueError(msg)
    return encode_message(sign_envelope(envelope, key, plain=plain))
