"""The two kinds of command: a coordinator's action here, and another force's message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, kw_only=True)
class Command:
    """Something asked of one offender's record at this force; ``at`` is when it was asked."""

    reference: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class LocalCommand(Command):
    """An action by someone at this force (``by`` names the officer or coordinator)."""

    by: str


@dataclass(frozen=True, kw_only=True)
class IncomingMessage(Command):
    """Another force's protocol message, translated by the consumer from the wire model.

    The envelope fields travel with every message: the sending and receiving forces, the
    epoch it speaks for, its id and the id of what caused it. ``message`` is the protocol
    message's name, used when a refusal is recorded. ``at`` is the time the sender wrote on
    it; ``received_at``, when known, is this force's own clock when it arrived.
    """

    message: ClassVar[str] = "message"

    sender: str
    recipient: str
    epoch: int
    message_id: str
    causation_id: str | None = None
    received_at: datetime | None = None

    @property
    def clock_starts_at(self) -> datetime:
        """When a deadline this message starts begins: its own time, but never after it
        arrived, so a sender whose clock runs ahead cannot put a deadline off."""
        if self.received_at is not None and self.received_at < self.at:
            return self.received_at
        return self.at


@dataclass(frozen=True, kw_only=True)
class TransferMessage(IncomingMessage):
    """A message about one transfer, named by ``transfer_id``."""

    transfer_id: str
