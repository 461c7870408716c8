"""Commands of a conflict's resolution: a coordinator's three steps, and the other party's
three messages.

A coordinator of one party proposes who owns at a new epoch; a coordinator of the other
confirms or rejects it. Only a confirmation changes ownership, on both records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ownership.domain.commands.base import IncomingMessage, LocalCommand


@dataclass(frozen=True, kw_only=True)
class ProposeResolution(LocalCommand):
    """Propose to ``counterpart`` that ``owner`` hold the record at ``epoch``, and why.

    ``proposal_id`` becomes the id of the ``resolution.proposed`` message; ``epoch``
    None asks for the lowest epoch above every epoch this force has seen.
    """

    proposal_id: str
    counterpart: str
    owner: str
    reason: str
    epoch: int | None = None


@dataclass(frozen=True, kw_only=True)
class ConfirmResolution(LocalCommand):
    """Confirm the other party's pending proposal ``proposal_id``: both records take it."""

    proposal_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class RejectResolution(LocalCommand):
    """Reject the other party's pending proposal ``proposal_id``; the conflict stays open."""

    proposal_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReceiveResolutionProposed(IncomingMessage):
    """``resolution.proposed``: ``owner`` to hold the record at ``epoch``."""

    message: ClassVar[str] = "resolution.proposed"

    owner: str
    reason: str
    coordinator: str
    new_epoch: int | None = None
    """The epoch the body names (None: the envelope's); the record refuses any other."""


@dataclass(frozen=True, kw_only=True)
class ReceiveResolutionConfirmed(IncomingMessage):
    """``resolution.confirmed``: the other party confirmed ``proposal_id``."""

    message: ClassVar[str] = "resolution.confirmed"

    proposal_id: str
    owner: str
    reason: str
    coordinator: str
    new_epoch: int | None = None
    """The epoch the body names (None: the envelope's); the record refuses any other."""


@dataclass(frozen=True, kw_only=True)
class ReceiveResolutionRejected(IncomingMessage):
    """``resolution.rejected``: the other party rejected ``proposal_id``."""

    message: ClassVar[str] = "resolution.rejected"

    proposal_id: str
    reason: str
    coordinator: str
