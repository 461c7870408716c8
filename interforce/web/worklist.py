"""The coordinators' lists, computed from records: who each transfer waits on, and what is late.

The domain says what each transfer waits for (`OffenderRecord.pending`), when each step is
due under the service levels and which steps are overdue (`ownership.domain.deadlines`), and
which rungs of the escalation ladder were climbed; this puts them side by side, with the
reminders sent and received, one row per outstanding step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ownership.adapters.views import FailedMessage, failure_of
from ownership.domain.deadlines import ServiceLevels, days_after, step_due
from ownership.domain.history import ResolutionOutcome
from ownership.domain.pending import PendingItem, WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.requests import TransferRequest
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.tasks import Task, task_order
from ownership.domain.transfer import Transfer


@dataclass(frozen=True)
class Chase:
    """A reminder sent or received, or a rung of the escalation ladder reached."""

    at: datetime
    text: str


@dataclass(frozen=True)
class WorkItem:
    """One row of the worklist: a transfer (or a return) waiting on one force."""

    reference: str
    transfer_id: str
    outgoing: bool
    peer: str
    waiting_for: WaitingFor
    state: TransferState | None
    party: str
    since: datetime | None
    deadline: date | None
    overdue_days: int
    mappa: bool
    chases: tuple[Chase, ...]

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class ExpiredTransfer:
    """A transfer that lapsed without an answer."""

    reference: str
    transfer_id: str
    peer: str
    outgoing: bool
    notified_at: datetime | None
    expired_at: datetime
    mappa: bool


@dataclass(frozen=True)
class OpenConflict:
    """Two views of who owns a record that cannot both be right."""

    reference: str
    kind: str
    epoch: int
    held_owner: str
    claimed_owner: str | None
    claimed_by: str
    raised_at: datetime
    mappa: bool


@dataclass(frozen=True)
class ProposedResolution:
    """A proposal to resolve a conflict that waits for the other party's coordinator."""

    reference: str
    proposal_id: str
    proposer: str
    waiting_on: str
    owner: str
    epoch: int
    coordinator: str
    reason: str
    proposed_at: datetime


def work_items(
    records: Iterable[OffenderRecord], today: date, levels: ServiceLevels
) -> list[WorkItem]:
    """Everything outstanding on ``records``, oldest first."""
    items = [
        _work_item(record, item, today, levels)
        for record in records
        for item in record.pending(today)
    ]
    return sorted(items, key=_age_key)


def not_failed(items: Iterable[WorkItem], failed: Sequence[FailedMessage]) -> list[WorkItem]:
    """The items still waiting: not those whose message to the party could never be sent
    (the page lists those as failed)."""
    return [
        item
        for item in items
        if failure_of(failed, item.reference, item.transfer_id, item.party) is None
    ]


def waiting_on(items: Iterable[WorkItem], force: str, *, us: bool) -> list[WorkItem]:
    """The items waiting on ``force`` (us) or on any other force."""
    return [item for item in items if (item.party == force) is us]


def deadline(record: OffenderRecord, item: PendingItem, levels: ServiceLevels) -> date | None:
    """When the awaited step is due under the service levels, if they cover it."""
    if item.waiting_for is WaitingFor.RETURN:
        return None if item.due is None else days_after(item.due, levels.return_days_after_end)
    request = _request(record, item)
    if request is not None:
        return request.due(levels)
    transfer = record.find_transfer(item.transfer_id)
    due = step_due(transfer, levels) if transfer is not None else None
    return due[1] if due is not None else item.due


def expired_transfers(records: Iterable[OffenderRecord], since: date) -> list[ExpiredTransfer]:
    """Transfers that expired on or after ``since``, most recent first."""
    found = []
    for record in records:
        for transfer in record.transfers:
            expiry = _first_step(transfer, Step.EXPIRE)
            if transfer.state is TransferState.EXPIRED and expiry and expiry.date() >= since:
                found.append(
                    ExpiredTransfer(
                        record.reference,
                        transfer.transfer_id,
                        transfer.peer,
                        transfer.side is Side.OWNER,
                        _first_step(transfer, Step.NOTIFY),
                        expiry,
                        record.profile.is_mappa_case,
                    )
                )
    return sorted(found, key=lambda e: e.expired_at, reverse=True)


def open_conflicts(records: Iterable[OffenderRecord]) -> list[OpenConflict]:
    """Every conflict the records hold, oldest first."""
    conflicts = [
        OpenConflict(
            record.reference,
            str(conflict.kind).replace("_", " "),
            conflict.epoch,
            conflict.held_owner,
            conflict.claimed_owner,
            conflict.claimed_by,
            conflict.raised_at,
            record.profile.is_mappa_case,
        )
        for record in records
        for conflict in record.conflicts
    ]
    return sorted(conflicts, key=lambda c: c.raised_at)


def proposed_resolutions(records: Iterable[OffenderRecord]) -> list[ProposedResolution]:
    """Every pending proposal to resolve a conflict, ours or put to us, oldest first."""
    proposals = [
        ProposedResolution(
            record.reference, p.proposal_id, p.proposer, p.counterpart, p.owner, p.epoch,
            p.coordinator, p.reason, p.proposed_at,
        )
        for record in records
        for p in record.resolutions
        if p.outcome is ResolutionOutcome.PENDING
    ]  # fmt: skip
    return sorted(proposals, key=lambda p: p.proposed_at)


def _work_item(
    record: OffenderRecord, item: PendingItem, today: date, levels: ServiceLevels
) -> WorkItem:
    transfer = record.find_transfer(item.transfer_id)
    due = deadline(record, item, levels)
    returning = item.waiting_for is WaitingFor.RETURN
    request = _request(record, item)
    return WorkItem(
        reference=record.reference,
        transfer_id=item.transfer_id,
        outgoing=request is not None or _outgoing(record, transfer, returning),
        peer=request.requester if request is not None else _peer(record, transfer, returning),
        waiting_for=item.waiting_for,
        state=item.state,
        party=item.party,
        since=item.since,
        deadline=due,
        overdue_days=(today - due).days if due is not None and today > due else 0,
        mappa=record.profile.is_mappa_case,
        chases=_chases(record, transfer),
    )


def _request(record: OffenderRecord, item: PendingItem) -> TransferRequest | None:
    """The request for a transfer an ``answer`` item waits on (its id is the request's)."""
    if item.waiting_for is not WaitingFor.ANSWER:
        return None
    return next((r for r in record.requests if r.request_id == item.transfer_id), None)


def _outgoing(record: OffenderRecord, transfer: Transfer | None, returning: bool) -> bool:
    if returning or transfer is None:
        move = record.temporary_move
        return move is not None and move.home_force != record.held_by
    return transfer.side is Side.OWNER


def _peer(record: OffenderRecord, transfer: Transfer | None, returning: bool) -> str:
    move = record.temporary_move
    if (returning or transfer is None) and move is not None:
        return move.away_force if move.home_force == record.held_by else move.home_force
    return transfer.peer if transfer is not None else record.owner


def _chases(record: OffenderRecord, transfer: Transfer | None) -> tuple[Chase, ...]:
    """Reminders and escalations of the transfer, in the order they happened."""
    if transfer is None:
        return ()
    reminders = [
        Chase(r.at, f"reminder sent to {transfer.peer}" if r.sent else f"reminded by {r.by}")
        for r in transfer.reminders
    ]
    escalations = [
        Chase(e.at, f"escalated to {str(e.level).replace('_', ' ')}")
        for e in record.escalations
        if e.transfer_id == transfer.transfer_id
    ]
    return tuple(sorted([*reminders, *escalations], key=lambda chase: chase.at))


def _first_step(transfer: Transfer, step: Step) -> datetime | None:
    return next((s.at for s in transfer.steps if s.step is step), None)


def _age_key(item: WorkItem) -> tuple[float, str]:
    """Oldest first: by when the item began waiting, else (a return) by its due date."""
    if item.since is not None:
        return item.since.timestamp(), item.reference
    due = item.deadline or date.max
    return datetime(due.year, due.month, due.day, tzinfo=UTC).timestamp(), item.reference


def worklist_tasks(
    records: Iterable[OffenderRecord], now: datetime, levels: ServiceLevels
) -> list[Task]:
    """Every open task on ``records``: immediate action first, then by due time."""
    return sorted((task for r in records for task in r.tasks(now, levels)), key=task_order)
