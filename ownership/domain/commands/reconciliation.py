"""Commands about this force's records as a whole: reconciliation with its counterparts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ownership.domain.held_views import HeldView
from ownership.domain.identity_lookup import IdentityKey, IdentityView


@dataclass(frozen=True, kw_only=True)
class FederationCommand:
    """Something asked of all of this force's records, not one; ``at`` is when."""

    at: datetime


@dataclass(frozen=True, kw_only=True)
class Reconcile(FederationCommand):
    """Ask each counterpart (or only ``counterpart``) who owns the offenders shared with it.

    Records that moved after ``settled_before`` are left for the next run. The codes in
    ``no_node`` (authorities outside the federation, as the directory lists them) are never
    asked: they run no node to answer.
    """

    by: str
    counterpart: str | None = None
    settled_before: datetime | None = None
    no_node: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class PeerEnquiry(FederationCommand):
    """Another force's reconciliation message, translated by the consumer."""

    message: ClassVar[str] = "message"

    sender: str
    recipient: str
    message_id: str
    causation_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipQuery(PeerEnquiry):
    """``ownership.query``: ``sender`` asks which owner and epoch we hold for these offenders."""

    message: ClassVar[str] = "ownership.query"

    offenders: tuple[str, ...]
    identities: tuple[IdentityKey, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipStatus(PeerEnquiry):
    """``ownership.status``: ``sender``'s view of the offenders we asked about."""

    message: ClassVar[str] = "ownership.status"

    views: tuple[HeldView, ...]
    identities: tuple[IdentityView, ...] = ()
