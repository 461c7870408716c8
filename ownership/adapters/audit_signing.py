"""Signatures over the audit log that its database cannot make: seals and checkpoints.

The force's Ed25519 key (the key file its node signs messages with; the database never holds
it) signs two things:

- a *seal* on the last row of every append: "rows `first`..`last` of `force`'s log, ending
  in `hash`". Every row a writer with the key appends lies in exactly one sealed range, so a
  row appended by anyone else (with the node role's insert rights, say) lies in none; and
  since the sealed hash chains over every row before it, no row up to a seal can be changed
  without breaking that seal. One signature per append (one per inbox batch, not per row).
- a *checkpoint*: "on `at`, `force`'s log in `database` had `length` rows ending in
  `head_hash`". Kept in the database and on the force's own Kafka topic, it is what finds
  rows deleted from the end: the log no longer reaches a length its checkpoint signed.

Both are checked against the public keys of the force directory by `kid`, so a rotated key
still verifies what it signed. Signing and checking use libsodium (PyNaCl), as messages do.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

import nacl.exceptions
import nacl.signing

from canonical.json import canonical_json

SEAL_PURPOSE = b"interforce.audit.seal\x00"
CHECKPOINT_PURPOSE = "interforce.audit.checkpoint"


class AuditSigner(Protocol):
    """Signs for one force with its current key: `sign` returns the key's id and signature."""

    @property
    def force(self) -> str: ...

    def sign(self, message: bytes) -> tuple[str, bytes]: ...


@dataclass(frozen=True)
class AuditKey:
    """A public key the directory lists: whose it is, its raw 32 bytes, and any revocation."""

    force: str
    public_key: bytes
    revoked_at: datetime | None = None

    def vouches(self, force: str, at: datetime) -> bool:
        """Whether this key may have signed for `force` at `at` (its own, not yet revoked)."""
        return self.force == force and (self.revoked_at is None or at < self.revoked_at)


KeyLookup = Callable[[str], AuditKey | None]
"""The public key of a key id, or None when the directory does not list it."""


def seal_message(force: str, first: int, last: int, head: bytes) -> bytes:
    """The bytes a seal signs: rows `first`..`last` of `force`'s log end in hash `head`."""
    return b"".join(
        (SEAL_PURPOSE, force.encode(), b"\x00", first.to_bytes(8), last.to_bytes(8), head)
    )


def signature_verifies(key: AuditKey, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is `key`'s Ed25519 signature of `message`."""
    try:
        _verify_key(key.public_key).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        return False
    return True


@lru_cache(maxsize=64)
def _verify_key(raw: bytes) -> nacl.signing.VerifyKey:
    return nacl.signing.VerifyKey(raw)


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the log's head: its length (the head row's seq) and hash."""

    force: str
    database: str
    length: int
    head_hash: bytes
    at: datetime
    kid: str
    signature: bytes

    def message(self) -> bytes:
        """The bytes the signature is over (RFC 8785 JSON of everything but kid and signature)."""
        return checkpoint_message(self.force, self.database, self.length, self.head_hash, self.at)

    def verifies(self, keys: KeyLookup) -> bool:
        """Whether a key of this checkpoint's force, valid at its time, signed it."""
        key = keys(self.kid)
        return (
            key is not None
            and key.vouches(self.force, self.at)
            and signature_verifies(key, self.message(), self.signature)
        )

    def document(self) -> dict[str, Any]:
        """The checkpoint as the JSON object its Kafka record carries."""
        return {
            "purpose": CHECKPOINT_PURPOSE,
            "force": self.force,
            "database": self.database,
            "length": self.length,
            "head_hash": self.head_hash.hex(),
            "at": _time_text(self.at),
            "kid": self.kid,
            "signature": _b64encode(self.signature),
        }

    def describe(self) -> str:
        """`checkpoint at 2026-12-02 14:02:11 UTC`, for reports."""
        return f"checkpoint at {self.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def checkpoint_message(
    force: str, database: str, length: int, head_hash: bytes, at: datetime
) -> bytes:
    """The canonical bytes a checkpoint's signature is over."""
    return canonical_json(
        {
            "purpose": CHECKPOINT_PURPOSE,
            "force": force,
            "database": database,
            "length": length,
            "head_hash": head_hash.hex(),
            "at": _time_text(at),
        }
    )


def sign_checkpoint(
    signer: AuditSigner, database: str, length: int, head_hash: bytes, at: datetime
) -> Checkpoint:
    """A checkpoint of the head `length`/`head_hash` at `at`, signed by `signer`."""
    at = at.astimezone(UTC)
    message = checkpoint_message(signer.force, database, length, head_hash, at)
    kid, signature = signer.sign(message)
    return Checkpoint(signer.force, database, length, head_hash, at, kid, signature)


class CheckpointError(ValueError):
    """A document that is not a checkpoint; the message says what is wrong with it."""


def checkpoint_from_document(document: object) -> Checkpoint:
    """Read a checkpoint written by `Checkpoint.document`; `CheckpointError` if it is not one."""
    if not isinstance(document, Mapping) or document.get("purpose") != CHECKPOINT_PURPOSE:
        raise CheckpointError("not an audit checkpoint")
    try:
        length = document["length"]
        if type(length) is not int or length < 0:
            raise CheckpointError("length is not a whole number")
        return Checkpoint(
            force=_text(document, "force"),
            database=_text(document, "database"),
            length=length,
            head_hash=bytes.fromhex(_text(document, "head_hash")),
            at=_parse_time(_text(document, "at")),
            kid=_text(document, "kid"),
            signature=_b64decode(_text(document, "signature")),
        )
    except KeyError as missing:
        raise CheckpointError(f"{missing.args[0]} is missing") from None
    except (ValueError, binascii.Error) as error:
        if isinstance(error, CheckpointError):
            raise
        raise CheckpointError(f"a field is malformed: {type(error).__name__}") from None


def _text(document: Mapping[str, Any], name: str) -> str:
    value = document[name]
    if not isinstance(value, str) or len(value) > 200:
        raise CheckpointError(f"{name} is not a short string")
    return value


def _time_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise CheckpointError("at has no time zone")
    return at.astimezone(UTC)


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
