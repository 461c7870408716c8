"""A conflict's resolution messages as commands."""

from __future__ import annotations

from consumers.translation.envelope import body_as, message_fields
from ownership.domain.commands import (
    ReceiveResolutionConfirmed,
    ReceiveResolutionProposed,
    ReceiveResolutionRejected,
)
from schemas.models import resolution as wire
from schemas.registry import ReceivedMessage


def proposed(received: ReceivedMessage) -> ReceiveResolutionProposed:
    """`resolution.proposed` → who should own at the new epoch, by whom, and why."""
    body = body_as(received, wire.ResolutionProposed)
    return ReceiveResolutionProposed(
        **message_fields(received.envelope),
        owner=body.new_owner,
        new_epoch=body.new_epoch,
        reason=body.reason,
        coordinator=body.coordinator,
    )


def confirmed(received: ReceivedMessage) -> ReceiveResolutionConfirmed:
    """`resolution.confirmed` → the proposal confirmed, its owner and epoch."""
    body = body_as(received, wire.ResolutionConfirmed)
    return ReceiveResolutionConfirmed(
        **message_fields(received.envelope),
        proposal_id=body.proposal_id,
        owner=body.new_owner,
        new_epoch=body.new_epoch,
        reason=body.reason,
        coordinator=body.coordinator,
    )


def rejected(received: ReceivedMessage) -> ReceiveResolutionRejected:
    """`resolution.rejected` → the proposal rejected, by whom, and why."""
    body = body_as(received, wire.ResolutionRejected)
    return ReceiveResolutionRejected(
        **message_fields(received.envelope),
        proposal_id=body.proposal_id,
        reason=body.reason,
        coordinator=body.coordinator,
    )
