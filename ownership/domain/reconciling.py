"""A record compared with a counterpart's view of it: any disagreement is raised."""

from __future__ import annotations

from datetime import datetime

from ownership.domain.events import ConflictRaised
from ownership.domain.held_views import HeldView
from ownership.domain.history import Conflict
from ownership.domain.reconciliation import compare, counterparts
from ownership.domain.record_core import RecordCore


class ReconcilingSteps(RecordCore):
    """Reconciliation's step on one record."""

    def reconcile_with(self, peer: str, theirs: HeldView, message_id: str, at: datetime) -> None:
        """Compare ``peer``'s view with ours; raise a conflict once for each disagreement.

        A force the record does not name has no view of it worth comparing, so its answer
        changes nothing.
        """
        if peer not in counterparts(self):
            return
        found = compare(self, peer, theirs)
        if found is None:
            return
        conflict = Conflict(
            found.epoch, found.held_owner, found.claimed_owner, peer, message_id, at, found.kind
        )
        if any(_same(conflict, known) for known in self.conflicts):
            return
        self.conflicts.append(conflict)
        self._emit(
            ConflictRaised(
                reference=self.reference,
                force=self.held_by,
                at=at,
                epoch=conflict.epoch,
                held_owner=conflict.held_owner,
                claimed_owner=conflict.claimed_owner,
                claimed_by=peer,
                message_id=message_id,
                kind=conflict.kind,
            )
        )


def _same(one: Conflict, other: Conflict) -> bool:
    fields = ("kind", "epoch", "held_owner", "claimed_owner", "claimed_by")
    return all(getattr(one, name) == getattr(other, name) for name in fields)
