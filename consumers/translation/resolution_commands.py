"""A conflict's resolution messages as commands."""

from __future__ import annotations

from consumers.translation.envelope import body_as, message_fields
from ownership.domain.commands import (
    ReceiveResolutionConfirmed,
    ReceiveResolutionProposed,
    ReceiveResolutionRejected,
)
from schemas.errors import BodyInvalid
from schemas.models import resolution as wire
from schemas.registry import ReceivedMessage


def proposed(received: ReceivedMessage) -> ReceiveResolutionProposed:
    """`resolution.proposed` → who should own at the new epoch, by whom, and why."""
    body = body_as(received, wire.ResolutionProposed)
    fields = message_fields(received.envelope)
    if body.new_epoch != fields["epoch"]:
        msg = f"new_epoch {body.new_epoch} is not the envelope's epoch {fields['epoch']}"
        raise BodyInvalid(msg, pointer="/data/new_epoch")
    return ReceiveResolutionProposed(
        **fields, owner=body.new_owner, reason=body.reason, coordinator=body.coordinator
    )


def confirmed(received: ReceivedMessage) -> ReceiveResolutionConfirmed:
    """`resolution.confirmed` → the proposal confirmed, its owner and epoch."""
    body = body_as(received, wire.ResolutionConfirmed)
    fields = message_fields(received.envelope)
    if body.new_epoch != fields["epoch"]:
        msg = f"new_epoch {body.new_epoch} is not the envelope's epoch {fields['epoch']}"
        raise BodyInvalid(msg, pointer="/data/new_epoch")
    return ReceiveResolutionConfirmed(
        **fields,
        proposal_id=body.proposal_id,
        owner=body.new_owner,
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
