"""Bodies of the reconciliation pair: the query, and the status that answers it."""

from __future__ import annotations

from ownership.domain.events import OwnershipQueried, OwnershipStatusReported
from ownership.domain.held_views import HeldView
from schemas.models import ownership as wire
from wire_enums import tables as enums


def query_body(event: OwnershipQueried) -> wire.OwnershipQuery:
    """`ownership.query`: the offenders asked about."""
    return wire.OwnershipQuery(offenders=list(event.offenders))


def status_body(event: OwnershipStatusReported) -> wire.OwnershipStatus:
    """`ownership.status`: the answering force's view of each offender asked about."""
    return wire.OwnershipStatus(records=[_record_status(view) for view in event.views])


def _record_status(view: HeldView) -> wire.RecordStatus:
    if not view.known:
        return wire.RecordStatus(offender=view.reference, known=False)
    return wire.RecordStatus(
        offender=view.reference,
        known=True,
        owner=view.owner,
        epoch=view.epoch,
        state=enums.POSITION[view.position] if view.position is not None else None,
    )
