"""The registry: raw bytes in, a validated, authenticated and upcast message out, or a rejection.

Checks run cheapest first and in a fixed order, so a message has exactly one reason:
size, JSON (and text PostgreSQL can store), envelope, recipient, sender, type, version, body,
time (not too far ahead of this node's clock), signature and key, then upcasting. Every input
either returns a message or raises a `MessageRejected`; nothing else escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from canonical.json import is_plain
from schemas import errors
from schemas.directory import DirectoryKey, ForceDirectory, ForceEntry
from schemas.envelope import TYPE_PREFIX, Envelope, message_type, parse_schema_id
from schemas.jsonio import parse_message_bytes
from schemas.kinds import KINDS_BY_NAME
from schemas.limits import DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_MESSAGE_BYTES
from schemas.models import current_model
from schemas.models.common import WireModel
from schemas.schema_set import SchemaSet
from schemas.signing import parse_public_key, signature_verifies
from schemas.upcasters import upcast
from schemas.validation import first_envelope_fault, first_fault, json_pointer, parse_date_time
from schemas.version import Version

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ReceivedMessage:
    """A message that passed every check: the envelope as sent, the body at the current version."""

    envelope: Envelope
    message_type: str
    version: Version
    body: WireModel


class Registry:
    """Validates incoming messages for one force (or, with `force=None`, for any listed force)."""

    def __init__(
        self,
        directory: ForceDirectory,
        *,
        force: str | None,
        schemas: SchemaSet | None = None,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        clock: Clock = utc_now,
        max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
    ) -> None:
        self._directory = directory
        self._force = force
        self._schemas = schemas or SchemaSet.load()
        self._max_message_bytes = max_message_bytes
        self._clock = clock
        self._max_clock_skew = max_clock_skew
        self._public_keys: dict[str, Ed25519PublicKey] = {}

    def receive(self, raw: bytes) -> ReceivedMessage:
        """Check one message and return it upcast, or raise the `MessageRejected` saying why.

        Anything else raised on the way is a fault of ours, raised as `CheckFailed`
        (`internal-error`), so no sender's bytes can make anything else escape.
        """
        try:
            return self._receive(raw)
        except errors.MessageRejected:
            raise
        except Exception as error:
            detail = f"{type(error).__name__} while checking: {error}"
            raise errors.CheckFailed(detail) from error

    def _receive(self, raw: bytes) -> ReceivedMessage:
        if len(raw) > self._max_message_bytes:
            msg = f"{len(raw)} bytes, more than {self._max_message_bytes}"
            raise errors.MessageOversize(msg)
        document = parse_message_bytes(raw)
        plain = is_plain(document)  # one walk, for every check below that would walk it
        self._check_envelope(document, plain)
        self._check_recipient(document["recipient"])
        sender = self._sender(document["source"])
        name, version = self._type_and_version(document)
        self._check_extensions(name, document)
        self._check_body(name, version, document["data"], plain)
        self._check_time(document["time"])
        self._check_signature(document, sender, plain)
        return self._upcast(name, version, document)

    def _check_envelope(self, document: Any, plain: bool) -> None:
        fault = first_envelope_fault(self._schemas.envelope_validator(), document, plain=plain)
        if fault is not None:
            raise errors.EnvelopeInvalid(fault[1], pointer=fault[0])

    def _check_recipient(self, recipient: str) -> None:
        if self._force is not None and recipient != self._force:
            msg = f"addressed to {recipient}, this is {self._force}"
            raise errors.Misaddressed(msg, pointer="/recipient")
        if self._directory.force(recipient) is None:
            msg = f"{recipient} is not in the force directory"
            raise errors.Misaddressed(msg, pointer="/recipient")

    def _sender(self, source: str) -> ForceEntry:
        sender = self._directory.force(source)
        if sender is None:
            msg = f"{source} is not in the force directory"
            raise errors.UnknownSender(msg, pointer="/source")
        return sender

    def _type_and_version(self, document: Mapping[str, Any]) -> tuple[str, Version]:
        name = message_type(document["type"])
        if name not in KINDS_BY_NAME:
            msg = f"{TYPE_PREFIX}{name} is not a message type"
            raise errors.UnknownType(msg, pointer="/type")
        try:  # the envelope's pattern allows only what these two read
            schema_name, version_text = parse_schema_id(document["dataschema"])
            version = Version.parse(version_text)
        except ValueError:
            msg = "not an interforce schema id"
            raise errors.EnvelopeInvalid(msg, pointer="/dataschema") from None
        if schema_name != name:
            msg = f"dataschema is for {schema_name}, type is {name}"
            raise errors.EnvelopeInvalid(msg, pointer="/dataschema")
        if not version.is_written_as(version_text):
            msg = f"{version_text} is not how a version is written; no schema has that id"
            raise errors.UnsupportedVersion(msg, pointer="/dataschema")
        if version not in self._schemas.versions(name):
            msg = f"{name} {version} is not a version this node accepts"
            raise errors.UnsupportedVersion(msg, pointer="/dataschema")
        return name, version

    def _check_extensions(self, name: str, document: Mapping[str, Any]) -> None:
        kind = KINDS_BY_NAME[name]
        for attribute in ("subject", "transferid", "epoch", "causationid"):
            rule = kind.presence(attribute)
            present = attribute in document
            if (rule == "required" and not present) or (rule == "absent" and present):
                state = "required" if rule == "required" else "not allowed"
                msg = f"{attribute} is {state} in {name}"
                raise errors.EnvelopeInvalid(msg, pointer=json_pointer([attribute]))

    def _check_body(self, name: str, version: Version, body: Any, plain: bool) -> None:
        validator = self._schemas.validator(name, version)
        fault = first_fault(validator, body, prefix="/data", plain=plain)
        if fault is not None:
            raise errors.BodyInvalid(fault[1], pointer=fault[0])

    def _check_time(self, time_text: str) -> None:
        ahead = parse_date_time(time_text) - self._clock()
        if ahead > self._max_clock_skew:
            msg = (
                f"dated {ahead.total_seconds():.0f} s ahead of this node's clock;"
                f" at most {self._max_clock_skew.total_seconds():.0f} s is allowed"
            )
            raise errors.TimeSkew(msg, pointer="/time")

    def _check_signature(
        self, document: Mapping[str, Any], sender: ForceEntry, plain: bool
    ) -> None:
        if "signature" not in document or "kid" not in document:
            missing = "signature" if "signature" not in document else "kid"
            raise errors.SignatureMissing(f"no {missing}", pointer=json_pointer([missing]))
        key = self._key(document["kid"], sender)
        self._check_key_validity(key, document["time"])
        if not signature_verifies(document, self._public_key(key), plain=plain):
            msg = f"does not verify with {key.kid}"
            raise errors.SignatureInvalid(msg, pointer="/signature")

    def _key(self, kid: str, sender: ForceEntry) -> DirectoryKey:
        found = self._directory.key(kid)
        if found is None:
            raise errors.UnknownKey(f"no force has key {kid}", pointer="/kid")
        owner, key = found
        if owner.code != sender.code:
            msg = f"key {kid} belongs to {owner.code}, not {sender.code}"
            raise errors.KeySenderMismatch(msg, pointer="/kid")
        return key

    def _check_key_validity(self, key: DirectoryKey, time_text: str) -> None:
        time = parse_date_time(time_text)
        if time < key.not_before:
            msg = f"{key.kid} is valid from {key.not_before.isoformat()}"
            raise errors.KeyNotYetValid(msg, pointer="/time")
        if time >= key.not_after:
            msg = f"{key.kid} expired at {key.not_after.isoformat()}"
            raise errors.KeyExpired(msg, pointer="/time")
        if key.revoked(self._clock()):
            raise errors.KeyRevoked(f"{key.kid} is revoked", pointer="/kid")

    def _public_key(self, key: DirectoryKey) -> Ed25519PublicKey:
        public_key = self._public_keys.get(key.kid)
        if public_key is None:
            public_key = parse_public_key(key.public_key)
            self._public_keys[key.kid] = public_key
        return public_key

    def _upcast(self, name: str, version: Version, document: Mapping[str, Any]) -> ReceivedMessage:
        try:
            envelope = Envelope.model_validate(document)
        except ValidationError as error:
            detail, pointer = _first_error(error, document)
            raise errors.EnvelopeInvalid(detail, pointer=pointer) from None
        body = upcast(name, version, document["data"])
        try:
            model = current_model(name).model_validate(body)
        except ValidationError as error:
            detail, pointer = _first_error(error, body)
            raise errors.BodyInvalid(detail, pointer="/data" + pointer) from None
        return ReceivedMessage(envelope=envelope, message_type=name, version=version, body=model)


def _first_error(error: ValidationError, instance: Any) -> tuple[str, str]:
    """The message and pointer of the first model error; rules only, never the value.

    pydantic puts union tags in an error's location; they are not in the instance and are skipped.
    """
    first = error.errors(include_input=False, include_url=False)[0]
    path: list[str | int] = []
    for part in first["loc"]:
        if _holds(instance, part):
            instance = instance[part]
            path.append(part)
    return first["msg"], json_pointer(path)


def _holds(instance: Any, part: str | int) -> bool:
    if isinstance(instance, dict):
        return part in instance
    return isinstance(instance, list) and isinstance(part, int) and 0 <= part < len(instance)
