"""The offender record's fields and the guards its steps share.

``RecordCore`` is the persisted shape of the aggregate: plain dataclass fields, lists of
frozen value objects and of ``Transfer`` entities, so an adapter can map it to rows or JSONB.
``events`` is not persisted: the unit of work moves it to the outbox on commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NoReturn

from ownership.domain.absence import Absence
from ownership.domain.commands.base import IncomingMessage, TransferMessage
from ownership.domain.deadlines import Escalation
from ownership.domain.errors import (
    MisaddressedError,
    NotTheOwnerError,
    NotTheReceiverError,
    OutOfSequenceError,
    OwnershipConflictError,
    RefusalError,
    SenderNotEntitledError,
    StaleEpochError,
    TransferNotKnownError,
    TransferSupersededError,
    UnchainedClaimError,
    UngrantedEpochError,
    UnknownTransferError,
    UnresolvedConflictError,
)
from ownership.domain.events import (
    ConflictRaised,
    Event,
    OwnershipChanged,
    PeerMessageRefused,
    PeerStepApplied,
)
from ownership.domain.history import (
    ChangeKind,
    Conflict,
    OwnershipChange,
    Refusal,
    TemporaryMove,
)
from ownership.domain.message_ids import sent_message_id
from ownership.domain.states import Side, Step
from ownership.domain.transfer import Transfer
from ownership.domain.values import OffenderProfile
from ownership.domain.visits import Visit


class RecordStatus(StrEnum):
    """Where the record stands in this force's view."""

    OWNED = "owned"
    TRANSFERRING_OUT = "transferring_out"
    TRANSFERRING_IN = "transferring_in"
    OWNED_ELSEWHERE = "owned_elsewhere"
    IN_CONFLICT = "in_conflict"


@dataclass
class RecordCore:
    """One offender's record as ``held_by`` holds it: the owner it knows of, at which epoch."""

    reference: str
    held_by: str
    profile: OffenderProfile
    owner: str
    epoch: int
    status: RecordStatus = RecordStatus.OWNED
    history: list[OwnershipChange] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    temporary_move: TemporaryMove | None = None
    escalations: list[Escalation] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list, init=False, repr=False, compare=False)

    @property
    def is_owner(self) -> bool:
        """Whether this force owns the record at its current epoch."""
        return self.owner == self.held_by

    def find_transfer(self, transfer_id: str) -> Transfer | None:
        """The transfer with this id, if the record holds it."""
        return next((t for t in self.transfers if t.transfer_id == transfer_id), None)

    def transfer(self, transfer_id: str) -> Transfer:
        """The transfer with this id, or raise UnknownTransferError."""
        found = self.find_transfer(transfer_id)
        if found is None:
            raise UnknownTransferError(f"{self.reference} has no transfer {transfer_id}")
        return found

    def _emit(self, event: Event) -> None:
        self.events.append(event)
        self.status = self._derive_status()

    def _derive_status(self) -> RecordStatus:
        if self.conflicts:
            return RecordStatus.IN_CONFLICT
        side = Side.OWNER if self.is_owner else Side.RECEIVER
        moving = any(t.side is side and t.is_live for t in self.transfers)
        if self.is_owner:
            return RecordStatus.TRANSFERRING_OUT if moving else RecordStatus.OWNED
        return RecordStatus.TRANSFERRING_IN if moving else RecordStatus.OWNED_ELSEWHERE

    # -- guards on this force's own steps ------------------------------------------------

    def _require_no_conflict(self) -> None:
        if self.conflicts:
            raise UnresolvedConflictError(f"ownership of {self.reference} is in conflict")

    def _owned_transfer(self, transfer_id: str) -> Transfer:
        transfer = self.transfer(transfer_id)
        if transfer.side is not Side.OWNER:
            raise NotTheOwnerError(f"{self.held_by} is the receiver of transfer {transfer_id}")
        if not self.is_owner or self.epoch != transfer.epoch:
            raise NotTheOwnerError(f"{self.held_by} does not own epoch {transfer.epoch}")
        return transfer

    def _sent_id(self, transfer: Transfer, step: Step) -> str:
        """The id of the message this force sends for ``step`` at the transfer's revision."""
        return sent_message_id(
            self.held_by, self.reference, transfer.transfer_id, step, transfer.revision
        )

    def _received_transfer(self, transfer_id: str) -> Transfer:
        transfer = self.transfer(transfer_id)
        if transfer.side is not Side.RECEIVER or transfer.receiver != self.held_by:
            raise NotTheReceiverError(f"{self.held_by} is not the receiver of {transfer_id}")
        if self.epoch != transfer.epoch:
            raise TransferSupersededError(
                f"{self.reference} is at epoch {self.epoch}, past {transfer.epoch}"
            )
        return transfer

    def _change_owner(
        self,
        change: OwnershipChange,
        transfer: Transfer | None = None,
    ) -> None:
        self.owner, self.epoch = change.owner, change.epoch
        self.history.append(change)
        self.temporary_move = _temporary_move(transfer)
        self._emit(
            OwnershipChanged(
                reference=self.reference,
                force=self.held_by,
                at=change.changed_at,
                previous_owner=change.previous_owner,
                owner=change.owner,
                epoch=change.epoch,
                kind=change.kind,
                transfer_id=change.transfer_id,
            )
        )

    # -- guards on another force's messages ----------------------------------------------

    def _refuse(self, msg: IncomingMessage, error: RefusalError) -> NoReturn:
        transfer_id = msg.transfer_id if isinstance(msg, TransferMessage) else None
        self.refusals.append(
            Refusal(
                msg.message_id,
                msg.sender,
                msg.message,
                error.code,
                str(error),
                transfer_id,
                msg.epoch,
                msg.at,
            )
        )
        self._emit(
            PeerMessageRefused(
                reference=self.reference,
                force=self.held_by,
                at=msg.at,
                code=error.code,
                reason=str(error),
                sender=msg.sender,
                message=msg.message,
                message_id=msg.message_id,
                transfer_id=transfer_id,
                epoch=msg.epoch,
            )
        )
        raise error

    def _check_addressed(self, msg: IncomingMessage) -> None:
        if msg.recipient != self.held_by:
            wrong = f"addressed to {msg.recipient}, not {self.held_by}"
            self._refuse(msg, MisaddressedError(wrong))

    def _peer_transfer(self, msg: TransferMessage, side: Side | None) -> Transfer:
        """The transfer ``msg`` is about, sent by the force at its other end."""
        self._check_addressed(msg)
        transfer = self.find_transfer(msg.transfer_id)
        if transfer is None:
            self._refuse(msg, TransferNotKnownError(f"no transfer {msg.transfer_id} is known"))
        if msg.sender != transfer.peer or (side is not None and transfer.side is not side):
            self._refuse(
                msg,
                SenderNotEntitledError(f"{msg.sender} may not send {msg.message} here"),
            )
        return transfer

    def _check_epoch(self, msg: IncomingMessage, expected: int) -> None:
        if msg.epoch < expected:
            self._refuse(msg, StaleEpochError(f"epoch {msg.epoch} is older than {expected}"))
        if msg.epoch > expected:
            self._refuse(msg, UngrantedEpochError(f"epoch {msg.epoch} was never granted"))

    def _apply_peer(self, transfer: Transfer, step: Step, msg: TransferMessage) -> None:
        if not transfer.accepts(step):
            late = f"{msg.message} is not accepted when {transfer.state}"
            self._refuse(msg, OutOfSequenceError(late))
        transfer.apply_peer_step(step, msg.sender, msg.clock_starts_at, msg.message_id)
        self._emit(
            PeerStepApplied(
                reference=self.reference,
                force=self.held_by,
                at=msg.at,
                transfer_id=transfer.transfer_id,
                step=step,
                sender=msg.sender,
                state=transfer.state,
                message_id=msg.message_id,
            )
        )

    def _check_claim(self, msg: IncomingMessage) -> None:
        """Judge the sender's claim to own epoch ``msg.epoch`` against this force's view.

        An older epoch is stale. The same epoch with another owner is a conflict. A later
        epoch is ungranted if this force owns the current one (only it could grant the next).
        Otherwise the view follows only the owner it knows, who may speak for a later epoch
        (the record came back to it along a chain this force did not see); a later epoch
        claimed by any other force is raised as a conflict, refused and never followed: this
        force never heard the owner it knows pass the record on.
        """
        if msg.epoch < self.epoch:
            self._refuse(msg, StaleEpochError(f"epoch {msg.epoch} is older than {self.epoch}"))
        if msg.epoch == self.epoch:
            if msg.sender != self.owner:
                self._raise_conflict(msg)
            return
        if self.is_owner:
            never = f"{self.held_by} never granted epoch {msg.epoch}"
            self._refuse(msg, UngrantedEpochError(never))
        if msg.sender != self.owner:
            unchained = f"{self.owner}, the owner {self.held_by} knows, never passed it on"
            self._raise_conflict(msg, UnchainedClaimError(f"epoch {msg.epoch}: {unchained}"))
        self._follow(msg.epoch, msg.sender, msg.message_id, msg.at)

    def _follow(self, epoch: int, owner: str, message_id: str, at: datetime) -> None:
        """Move this view to ``owner`` at ``epoch`` on the word of the owner it knows."""
        change = OwnershipChange(
            epoch, owner, self.owner, at, ChangeKind.OBSERVED, source_message_id=message_id
        )
        self._change_owner(change)

    def _raise_conflict(self, msg: IncomingMessage, error: RefusalError | None = None) -> NoReturn:
        """Raise the sender's claim as a conflict (once per claim), then refuse the message."""
        conflict = Conflict(msg.epoch, self.owner, msg.sender, msg.sender, msg.message_id, msg.at)
        if not any(same_disagreement(conflict, known) for known in self.conflicts):
            self.conflicts.append(conflict)
            self._emit(
                ConflictRaised(
                    reference=self.reference,
                    force=self.held_by,
                    at=msg.at,
                    epoch=msg.epoch,
                    held_owner=self.owner,
                    claimed_owner=msg.sender,
                    claimed_by=msg.sender,
                    message_id=msg.message_id,
                    kind=conflict.kind,
                )
            )
        claimed = f"{msg.sender} and {self.owner} claim epoch {msg.epoch}"
        self._refuse(msg, error or OwnershipConflictError(claimed))


def same_disagreement(one: Conflict, other: Conflict) -> bool:
    """Whether two conflicts record the same disagreement (a repeated claim adds nothing)."""
    fields = ("kind", "epoch", "held_owner", "claimed_owner", "claimed_by")
    return all(getattr(one, name) == getattr(other, name) for name in fields)


def _temporary_move(transfer: Transfer | None) -> TemporaryMove | None:
    """The return a committed transfer leaves due; any other change closes the last one."""
    if transfer is None or transfer.details.end_date is None:
        return None
    return TemporaryMove(
        transfer.transfer_id, transfer.owner, transfer.receiver, transfer.details.end_date
    )
