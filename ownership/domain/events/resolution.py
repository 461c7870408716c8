"""Events of a conflict's resolution: the three messages between its parties, and the local
facts each step leaves on the record (the audit trail and the coordinators' screens).

====================== ==================================
event                  message
====================== ==================================
ResolutionProposed     ``resolution.proposed``
ResolutionConfirmed    ``resolution.confirmed``
ResolutionRejected     ``resolution.rejected``
====================== ==================================

``epoch`` of each message is the proposal's new epoch; a confirmation or rejection names the
proposal as ``proposal_id`` and as its ``causation_id``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ownership.domain.events.base import Event, OutgoingEvent


@dataclass(frozen=True, kw_only=True)
class ResolutionProposed(OutgoingEvent):
    """This force's coordinator proposed that ``owner`` hold the record at ``epoch``."""

    owner: str
    reason: str
    coordinator: str


@dataclass(frozen=True, kw_only=True)
class ResolutionConfirmed(OutgoingEvent):
    """This force's coordinator confirmed the other party's proposal ``proposal_id``."""

    proposal_id: str
    owner: str
    reason: str
    coordinator: str


@dataclass(frozen=True, kw_only=True)
class ResolutionRejected(OutgoingEvent):
    """This force's coordinator rejected the other party's proposal ``proposal_id``."""

    proposal_id: str
    reason: str
    coordinator: str


@dataclass(frozen=True, kw_only=True)
class ResolutionProposalReceived(Event):
    """The other party to a conflict proposed a resolution; it waits for our coordinator."""

    proposal_id: str
    proposer: str
    owner: str
    epoch: int
    reason: str
    coordinator: str


@dataclass(frozen=True, kw_only=True)
class ResolutionRejectedByPeer(Event):
    """The other party's coordinator rejected our proposal; the record stays in conflict."""

    proposal_id: str
    rejected_by: str
    reason: str
    coordinator: str


@dataclass(frozen=True, kw_only=True)
class ConflictResolved(Event):
    """Both parties agreed: ``owner`` holds the record at ``epoch``, and it is unfrozen.

    ``confirmed_by`` is the coordinator who confirmed, at ``counterpart`` or here.
    """

    proposal_id: str
    proposer: str
    counterpart: str
    owner: str
    epoch: int
    proposed_by: str
    confirmed_by: str
    reason: str
    cleared: int
    transfers_ended: tuple[str, ...] = ()
    """The transfers still live at an older epoch, ended because the record moved on."""
