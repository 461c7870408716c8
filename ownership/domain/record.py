"""The offender record: the aggregate root, one per offender in each force's view.

Everything about one offender is ordered on one Kafka partition, so the record is the
consistency boundary: it holds the offender's transfers, visits, absences, ownership history,
conflicts and refusals, and a ``version`` for optimistic concurrency. Its steps live in
``owning``, ``receiving``, ``casework``,
``chasing`` (deadlines) and ``reconciling``; its fields and shared guards in ``record_core``.
"""

from __future__ import annotations

from datetime import date

from ownership.domain.chasing import ChasingSteps
from ownership.domain.commands import IncomingMessage, ReceiveTransferNotified, RegisterOffender
from ownership.domain.errors import CannotEstablishViewError
from ownership.domain.events import OffenderRegistered
from ownership.domain.history import ChangeKind, OwnershipChange, TemporaryMove
from ownership.domain.pending import PendingItem, pending_items
from ownership.domain.receiving import ReceivingSteps
from ownership.domain.reconciling import ReconcilingSteps
from ownership.domain.record_core import RecordStatus
from ownership.domain.values import OffenderProfile


class OffenderRecord(ChasingSteps, ReceivingSteps, ReconcilingSteps):
    """One offender's record as one force holds it; the aggregate root."""

    @classmethod
    def register(cls, cmd: RegisterOffender, force: str) -> OffenderRecord:
        """A new record owned by ``force`` at epoch 1."""
        record = cls(cmd.reference, force, cmd.profile, owner=force, epoch=1)
        record._change_owner(OwnershipChange(1, force, None, cmd.at, ChangeKind.REGISTERED))
        record._emit(
            OffenderRegistered(reference=cmd.reference, force=force, at=cmd.at, profile=cmd.profile)
        )
        return record

    @classmethod
    def first_heard(
        cls, msg: IncomingMessage, force: str, profile: OffenderProfile
    ) -> OffenderRecord:
        """A new view of an offender this force first hears of from ``msg``'s sender.

        Only a notification of a transfer to this force opens one: it is the one message a
        force with no record expects unasked. Anything else (an absence notice, a step of a
        transfer never notified here) raises ``CannotEstablishViewError`` and opens nothing.
        """
        if not isinstance(msg, ReceiveTransferNotified) or msg.recipient != force:
            raise CannotEstablishViewError(
                f"{force} holds no record of {msg.reference}, and {msg.message} from"
                f" {msg.sender} cannot open one"
            )
        record = cls(
            msg.reference,
            force,
            profile,
            owner=msg.sender,
            epoch=msg.epoch,
            status=RecordStatus.OWNED_ELSEWHERE,
        )
        record._change_owner(
            OwnershipChange(
                msg.epoch,
                msg.sender,
                None,
                msg.at,
                ChangeKind.OBSERVED,
                source_message_id=msg.message_id,
            )
        )
        return record

    def pending(self, today: date) -> tuple[PendingItem, ...]:
        """What this record waits for, by which force, and what is overdue on ``today``."""
        return pending_items(self.reference, self.transfers, self.temporary_move, today)

    def overdue_return(self, today: date) -> TemporaryMove | None:
        """The temporary move whose return is overdue on ``today``, if any."""
        move = self.temporary_move
        return move if move is not None and move.is_overdue(today) else None
