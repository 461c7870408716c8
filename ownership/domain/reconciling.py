"""A record compared with a counterpart's view of it: any disagreement is raised.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from datetime import datetime

from ownership.domain.events import ConflictRaised
from ownership.domain.guards import follow, same_disagreement
from ownership.domain.held_views import HeldView
from ownership.domain.history import Conflict
from ownership.domain.reconciliation import compare, counterparts
from ownership.domain.record_core import RecordCore, emit


def reconcile_with(
    record: RecordCore, peer: str, theirs: HeldView, message_id: str, at: datetime
) -> None:
    """Compare ``peer``'s view with ours; raise a conflict once for each disagreement.

    A force the record does not name has no view of it worth comparing, so its answer
    changes nothing. The owner this view knows may tell of a later epoch (it passed the
    record on, or the record came back to it): the view follows that owner's word, one
    step of the chain, as it would follow that owner's own messages.
    """
    if peer not in counterparts(record):
        return
    passed_on = _passed_on_by_known_owner(record, peer, theirs)
    if passed_on is not None:
        follow(record, passed_on[1], passed_on[0], message_id, at)
        return
    found = compare(record, peer, theirs)
    if found is None:
        return
    conflict = Conflict(
        found.epoch, found.held_owner, found.claimed_owner, peer, message_id, at, found.kind
    )
    if any(same_disagreement(conflict, known) for known in record.conflicts):
        return
    record.conflicts.append(conflict)
    emit(
        record,
        ConflictRaised(
            reference=record.reference,
            force=record.held_by,
            at=at,
            epoch=conflict.epoch,
            held_owner=conflict.held_owner,
            claimed_owner=conflict.claimed_owner,
            claimed_by=peer,
            message_id=message_id,
            kind=conflict.kind,
        ),
    )


def _passed_on_by_known_owner(
    record: RecordCore, peer: str, theirs: HeldView
) -> tuple[str, int] | None:
    """The later owner and epoch that ``peer``, the owner this view knows, holds, if any.

    A later epoch that names this force is never taken on anyone's word: this force owns
    only by a committed handover it received.
    """
    if record.is_owner or peer != record.owner or not theirs.known:
        return None
    if theirs.owner is None or theirs.owner == record.held_by or theirs.epoch is None:
        return None
    return (theirs.owner, theirs.epoch) if theirs.epoch > record.epoch else None
