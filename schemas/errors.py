"""Why a message was refused: one exception class per reason, under one base.

Each class has a stable machine-readable `reason`, used in dead-letter headers and the audit log.
Never rename a reason: add a new class instead.
"""

from __future__ import annotations

from typing import ClassVar

from schemas.safe_text import safe_text

POINTER_LIMIT = 200
"""Characters of a JSON pointer kept in a refusal; deeper or longer paths are cut."""


class MessageRejected(Exception):  # noqa: N818 - a refusal is an outcome, named as one
    """A message that cannot be accepted. `reason` is stable; `detail` is for people.

    `detail` and `pointer` are bounded and escaped (`schemas.safe_text`): they may quote the
    sender, and they are logged and stored.
    """

    reason: ClassVar[str] = "rejected"

    def __init__(self, detail: str, *, pointer: str | None = None) -> None:
        self.detail = safe_text(detail)
        self.pointer = None if pointer is None else safe_text(pointer, POINTER_LIMIT)
        where = f" at {self.pointer}" if self.pointer else ""
        super().__init__(f"{self.reason}: {self.detail}{where}")


class MessageOversize(MessageRejected):
    """The message is larger than the receiving node accepts."""

    reason = "oversize"


class MessageNotJson(MessageRejected):
    """The bytes are not one UTF-8 I-JSON object without fractions, duplicates or deep nesting."""

    reason = "not-json"


class TextNotStorable(MessageRejected):
    """A string or member name holds what PostgreSQL cannot store: NUL (U+0000) or a lone
    surrogate."""

    reason = "unstorable-text"


class EnvelopeInvalid(MessageRejected):
    """The CloudEvents envelope does not follow the envelope schema or its type's rules."""

    reason = "envelope-invalid"


class Misaddressed(MessageRejected):
    """The `recipient` is not this force (or not a force in the directory)."""

    reason = "misaddressed"


class UnknownSender(MessageRejected):
    """The `source` is not a force in the directory."""

    reason = "unknown-sender"


class UnknownType(MessageRejected):
    """The `type` is not a message type of the protocol."""

    reason = "unknown-type"


class UnsupportedVersion(MessageRejected):
    """The `dataschema` names a version of the type that this node does not know."""

    reason = "unsupported-version"


class BodyInvalid(MessageRejected):
    """The body does not follow its schema version; `pointer` locates the first fault."""

    reason = "body-invalid"


class TimeSkew(MessageRejected):
    """The message's `time` is further ahead of the receiver's clock than the margin allows."""

    reason = "time-skew"


class SignatureMissing(MessageRejected):
    """The envelope has no `signature` or no `kid`."""

    reason = "signature-missing"


class UnknownKey(MessageRejected):
    """No force in the directory has a key with this `kid`."""

    reason = "unknown-key"


class KeySenderMismatch(MessageRejected):
    """The `kid` belongs to a different force from the `source`."""

    reason = "key-sender-mismatch"


class KeyNotYetValid(MessageRejected):
    """The key's validity starts after the message's `time`."""

    reason = "key-not-yet-valid"


class KeyExpired(MessageRejected):
    """The key's validity ended at or before the message's `time`."""

    reason = "key-expired"


class KeyRevoked(MessageRejected):
    """The key is revoked: nothing it signed is accepted any more."""

    reason = "key-revoked"


class SignatureInvalid(MessageRejected):
    """The signature does not verify over the canonical envelope with the named key."""

    reason = "signature-invalid"


class CheckFailed(MessageRejected):
    """Checking the message raised something unexpected: a fault of ours, not the sender's.

    Not one of `REJECTIONS`: no message should ever get it. The exception is its `__cause__`.
    """

    reason = "internal-error"


REJECTIONS: tuple[type[MessageRejected], ...] = (
    MessageOversize,
    MessageNotJson,
    TextNotStorable,
    EnvelopeInvalid,
    Misaddressed,
    UnknownSender,
    UnknownType,
    UnsupportedVersion,
    BodyInvalid,
    TimeSkew,
    SignatureMissing,
    UnknownKey,
    KeySenderMismatch,
    KeyNotYetValid,
    KeyExpired,
    KeyRevoked,
    SignatureInvalid,
)
"""Every rejection class, in the order the registry checks for them."""


class OutgoingMessageError(Exception):
    """A message this node wants to send cannot be built."""


class NoCommonVersionError(OutgoingMessageError):
    """The recipient lists no version of the type that this node can build."""


class VersionNotExpressibleError(OutgoingMessageError):
    """The body holds something the recipient's version cannot carry; nothing is dropped."""
