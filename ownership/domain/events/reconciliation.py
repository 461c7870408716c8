"""Reconciliation messages: about many offenders at once, so about no single record.

The unit of work sends them (``uow.send``) with whatever records the same step changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ownership.domain.held_views import HeldView
from ownership.domain.identity_lookup import IdentityKey, IdentityView


@dataclass(frozen=True, kw_only=True)
class FederationEvent:
    """A message ``force`` sends ``recipient`` about several offenders (no subject, no epoch)."""

    force: str
    at: datetime
    recipient: str
    message_id: str
    causation_id: str | None = None

    @property
    def sender(self) -> str:
        """The force that sends the message."""
        return self.force


@dataclass(frozen=True, kw_only=True)
class OwnershipQueried(FederationEvent):
    """``ownership.query``: which owner and epoch does ``recipient`` hold for these offenders?"""

    offenders: tuple[str, ...]
    identities: tuple[IdentityKey, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OwnershipStatusReported(FederationEvent):
    """``ownership.status``: this force's view of each offender asked about."""

    views: tuple[HeldView, ...]
    identities: tuple[IdentityView, ...] = ()
