"""Bodies of the reconciliation pair: the query, and the status that answers it."""

from __future__ import annotations

from ownership.domain.events import OwnershipQueried, OwnershipStatusReported
from ownership.domain.held_views import HeldView
from ownership.domain.identity_lookup import IdentityKey, IdentityView
from schemas.models import ownership as wire
from wire_enums import tables as enums


def query_body(event: OwnershipQueried) -> wire.OwnershipQuery:
    """`ownership.query`: the offenders asked about."""
    identities = [_asked(key) for key in event.identities] or None
    return wire.OwnershipQuery(offenders=list(event.offenders), identities=identities)


def status_body(event: OwnershipStatusReported) -> wire.OwnershipStatus:
    """`ownership.status`: the answering force's view of each offender asked about."""
    identities = [_identity_held(view) for view in event.identities] or None
    return wire.OwnershipStatus(
        records=[_record_status(view) for view in event.views], identities=identities
    )


def _asked(key: IdentityKey) -> wire.IdentityAsked:
    return wire.IdentityAsked(pnc_id=key.pnc_id, visor_reference=key.visor_reference)


def _identity_held(view: IdentityView) -> wire.IdentityHeld:
    return wire.IdentityHeld(
        pnc_id=view.asked.pnc_id,
        visor_reference=view.asked.visor_reference,
        held=view.held,
        offender=view.reference,
        owner=view.owner,
        epoch=view.epoch,
    )


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
