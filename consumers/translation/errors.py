"""Messages that pass the registry but that this node's domain does not handle."""

from __future__ import annotations

from schemas.errors import MessageRejected


class UnhandledMessageType(MessageRejected):
    """A valid message of a type the domain does not handle yet (`ownership.query`,
    `ownership.status`: reconciliation comes later). Dead-letter it; never drop it."""

    reason = "unhandled-type"
