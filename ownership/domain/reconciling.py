"""A record compared with a counterpart's view of it: any disagreement is raised."""

from __future__ import annotations

from datetime import datetime

from ownership.domain.events import ConflictRaised
from ownership.domain.held_views import HeldView
from ownership.domain.history import Conflict
from ownership.domain.reconciliation import compare, counterparts
from ownership.domain.record_core import RecordCore, same_disagreement


class ReconcilingSteps(RecordCore):
    """Reconciliation's step on one record."""

    def reconcile_with(self, peer: str, theirs: HeldView, message_id: str, at: datetime) -> None:
        """Compare ``peer``'s view with ours; raise a conflict once for each disagreement.

        A force the record does not name has no view of it worth comparing, so its answer
        changes nothing. The owner this view knows may tell of a later epoch (it passed the
        record on, or the record came back to it): the view follows that owner's word, one
        step of the chain, as it would follow that owner's own messages.
        """
        if peer not in counterparts(self):
            return
        passed_on = self._passed_on_by_known_owner(peer, theirs)
        if passed_on is not None:
            self._follow(passed_on[1], passed_on[0], message_id, at)
            return
        found = compare(self, peer, theirs)
        if found is None:
            return
        conflict = Conflict(
            found.epoch, found.held_owner, found.claimed_owner, peer, message_id, at, found.kind
        )
        if any(same_disagreement(conflict, known) for known in self.conflicts):
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

    def _passed_on_by_known_owner(self, peer: str, theirs: HeldView) -> tuple[str, int] | None:
        """The later owner and epoch that ``peer``, the owner this view knows, holds, if any.

        A later epoch that names this force is never taken on anyone's word: this force owns
        only by a committed handover it received.
        """
        if self.is_owner or peer != self.owner or not theirs.known:
            return None
        if theirs.owner is None or theirs.owner == self.held_by or theirs.epoch is None:
            return None
        return (theirs.owner, theirs.epoch) if theirs.epoch > self.epoch else None
