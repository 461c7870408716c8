"""Bodies of a conflict's resolution messages: the proposal and its answer."""

from __future__ import annotations

from ownership.domain.events import ResolutionConfirmed, ResolutionProposed, ResolutionRejected
from schemas.models import resolution as wire


def proposed_body(event: ResolutionProposed) -> wire.ResolutionProposed:
    """`resolution.proposed`: who should own at the new epoch, by whom, and why."""
    return wire.ResolutionProposed(
        new_owner=event.owner,
        new_epoch=event.epoch,
        coordinator=event.coordinator,
        reason=event.reason,
    )


def confirmed_body(event: ResolutionConfirmed) -> wire.ResolutionConfirmed:
    """`resolution.confirmed`: the proposal confirmed, its owner and epoch."""
    return wire.ResolutionConfirmed(
        proposal_id=event.proposal_id,
        new_owner=event.owner,
        new_epoch=event.epoch,
        coordinator=event.coordinator,
        reason=event.reason,
    )


def rejected_body(event: ResolutionRejected) -> wire.ResolutionRejected:
    """`resolution.rejected`: the proposal rejected, by whom, and why."""
    return wire.ResolutionRejected(
        proposal_id=event.proposal_id, coordinator=event.coordinator, reason=event.reason
    )
