"""The one way a consumer step says "this message goes to dead letters, and why"."""

from __future__ import annotations

from schemas.safe_text import safe_text

INTERNAL_ERROR = "internal-error"
"""The reason of a message that met a fault of ours: kept in dead letters, to replay once fixed."""


class Refused(Exception):  # noqa: N818 - a refusal is an outcome, not a programming error
    """A message that must not be applied: validation, signature, role or domain refusal.

    `reason` is a stable machine-readable code (it goes into the dead letter's headers);
    `detail` is the sentence a coordinator or IT team reads, bounded and escaped
    (`schemas.safe_text`) because it may quote the sender. `fault` is the unexpected
    exception behind an `internal-error`, whose traceback is logged once the dead letter
    is committed.
    """

    def __init__(
        self,
        reason: str,
        detail: str,
        *,
        sender: str | None = None,
        message_id: str | None = None,
        fault: BaseException | None = None,
    ) -> None:
        self.reason = reason
        self.detail = safe_text(detail)
        super().__init__(f"{reason}: {self.detail}")
        self.sender = sender
        self.message_id = message_id
        self.fault = fault


def internal_error(fault: Exception, while_doing: str) -> Refused:
    """The refusal of a message that raised something unexpected `while_doing` it: its
    exception's type and message in the detail, the exception kept for its traceback."""
    detail = f"{type(fault).__name__} while {while_doing}: {fault}"
    return Refused(INTERNAL_ERROR, detail, fault=fault)
