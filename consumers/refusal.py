"""The one way a consumer step says "this message goes to dead letters, and why"."""

from __future__ import annotations


class Refused(Exception):  # noqa: N818 - a refusal is an outcome, not a programming error
    """A message that must not be applied: validation, signature, role or domain refusal.

    `reason` is a stable machine-readable code (it goes into the dead letter's headers);
    `detail` is the sentence a coordinator or IT team reads.
    """

    def __init__(
        self,
        reason: str,
        detail: str,
        *,
        sender: str | None = None,
        message_id: str | None = None,
    ) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.sender = sender
        self.message_id = message_id
