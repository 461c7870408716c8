"""The two kinds of event: a local fact, and a fact another force must be told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened to one offender's record in one force's view.

    ``force`` is the force whose record changed; ``at`` is when, as the command said.
    """

    reference: str
    force: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class OutgoingEvent(Event):
    """An event the outbox sends to ``recipient`` as one protocol message.

    ``force`` is the sender. ``epoch`` is the epoch the message speaks for: the owner's
    current epoch n, except that ``ownership.accepted`` and ``ownership.transferred`` speak
    for n+1. ``causation_id`` is the id of the incoming message this answers, if any.
    ``message_id`` is set when the record must be able to name the message later (a
    reminder points at it); otherwise the outbox gives the message a fresh id.
    """

    recipient: str
    transfer_id: str | None
    epoch: int
    causation_id: str | None = None
    message_id: str | None = None

    @property
    def sender(self) -> str:
        """The force that sends the message."""
        return self.force
