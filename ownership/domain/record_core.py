"""The offender record's fields, and the two changes every step makes through them.

``RecordCore`` is the persisted shape of the aggregate: plain dataclass fields, lists of
frozen value objects and of ``Transfer`` entities, so an adapter can map it to rows or JSONB.
``events`` is not persisted: the unit of work moves it to the outbox on commit.

``emit`` records an event (and keeps ``status`` in step with it); ``change_owner`` moves the
record to a new owner and epoch. The checks the steps share live in ``guards``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ownership.domain.absence import Absence
from ownership.domain.deadlines import Escalation
from ownership.domain.errors import UnknownTransferError
from ownership.domain.events import Event, OwnershipChanged
from ownership.domain.history import (
    Conflict,
    OwnershipChange,
    Refusal,
    ResolutionProposal,
    TemporaryMove,
)
from ownership.domain.requests import TransferRequest
from ownership.domain.states import Side
from ownership.domain.task_kinds import ClosedTask
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
    MANAGED_EXTERNALLY = "managed_externally"
    """Handed by hand to an authority outside the federation, which manages it now."""


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
    managed_by: str | None = None
    """The authority outside the federation managing the offender since a hand-over by hand."""
    resolutions: list[ResolutionProposal] = field(default_factory=list)
    closed_tasks: list[ClosedTask] = field(default_factory=list)
    requests: list[TransferRequest] = field(default_factory=list)
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


def emit(record: RecordCore, event: Event) -> None:
    """Record ``event`` on ``record`` and bring its status up to date."""
    record.events.append(event)
    record.status = _derive_status(record)


def _derive_status(record: RecordCore) -> RecordStatus:
    if record.conflicts:
        return RecordStatus.IN_CONFLICT
    side = Side.OWNER if record.is_owner else Side.RECEIVER
    moving = any(t.side is side and t.is_live for t in record.transfers)
    if record.is_owner:
        return RecordStatus.TRANSFERRING_OUT if moving else RecordStatus.OWNED
    if record.managed_by is not None:
        return RecordStatus.MANAGED_EXTERNALLY
    return RecordStatus.TRANSFERRING_IN if moving else RecordStatus.OWNED_ELSEWHERE


def change_owner(
    record: RecordCore, change: OwnershipChange, transfer: Transfer | None = None
) -> None:
    """Move ``record`` to ``change``'s owner and epoch (a committed ``transfer`` may leave a
    return due)."""
    record.owner, record.epoch = change.owner, change.epoch
    record.history.append(change)
    record.temporary_move = _temporary_move(transfer)
    emit(
        record,
        OwnershipChanged(
            reference=record.reference,
            force=record.held_by,
            at=change.changed_at,
            previous_owner=change.previous_owner,
            owner=change.owner,
            epoch=change.epoch,
            kind=change.kind,
            transfer_id=change.transfer_id,
        ),
    )


def _temporary_move(transfer: Transfer | None) -> TemporaryMove | None:
    """The return a committed transfer leaves due; any other change closes the last one."""
    if transfer is None or transfer.details.end_date is None:
        return None
    return TemporaryMove(
        transfer.transfer_id, transfer.owner, transfer.receiver, transfer.details.end_date
    )
