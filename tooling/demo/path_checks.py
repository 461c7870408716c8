"""Where each of the newer paths should end, as checks the demo's invariants run.

Each function returns an `EndCheck`: given the stage, the failure lines (none when the path
ended where it should).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from ownership.domain.deadlines import ServiceLevels
from ownership.domain.history import ChangeKind
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.requests import RequestState
from ownership.domain.states import TransferState
from ownership.domain.task_kinds import TaskKind
from ownership.domain.transfer import Transfer
from tooling.demo.stage import Stage

EndCheck = Callable[[Stage], Awaitable[list[str]]]
LEVELS = ServiceLevels()


def reminded_of_commit(transfer: Transfer, *, sent: bool) -> bool:
    """Whether a reminder that the commit is awaited was sent (or received) on `transfer`."""
    return any(r.sent is sent and r.waiting_for == WaitingFor.COMMIT for r in transfer.reminders)


async def _records(stage: Stage, ref: str, *forces: str) -> dict[str, OffenderRecord]:
    found = {}
    for force in forces:
        record = await stage.record(force, ref)
        if record is None:
            raise LookupError(f"{ref}: {force} holds no record")
        found[force] = record
    return found


def _states(records: dict[str, OffenderRecord], tid: str) -> dict[str, TransferState]:
    return {force: record.transfer(tid).state for force, record in records.items()}


def whereabouts_unknown(ref: str, tid: str, owner: str) -> EndCheck:
    """The owner keeps the record, marked whereabouts unknown, an immediate task on top."""

    async def failures(stage: Stage) -> list[str]:
        record = (await _records(stage, ref, owner))[owner]
        now = datetime.now(UTC)
        tasks = record.tasks(now, LEVELS)
        top = (tasks[0].kind, tasks[0].immediate) if tasks else None
        ok = (
            record.is_owner
            and record.transfer(tid).state is TransferState.NOT_ARRIVED
            and record.whereabouts_unknown(now, LEVELS)
            and top == (TaskKind.WHEREABOUTS_UNKNOWN, True)
        )
        return [] if ok else [f"{ref}: not whereabouts unknown at {owner} (top task {top})"]

    return failures


def request_answered(ref: str, tid: str, owner: str, asker: str) -> EndCheck:
    """The owner answered the request with the transfer, which committed at both forces."""

    async def failures(stage: Stage) -> list[str]:
        records = await _records(stage, ref, owner, asker)
        answers = [(q.state, q.transfer_id) for q in records[owner].requests]
        states = set(_states(records, tid).values())
        if answers == [(RequestState.ANSWERED, tid)] and states == {TransferState.COMMITTED}:
            return []
        return [f"{ref}: request {answers}, transfer {states}: not answered by a commit"]

    return failures


def commit_chased(ref: str, tid: str, owner: str, receiver: str) -> EndCheck:
    """The receiver sent a commit reminder, the owner received it, and the commit followed."""

    async def failures(stage: Stage) -> list[str]:
        records = await _records(stage, ref, owner, receiver)
        reminded = reminded_of_commit(records[owner].transfer(tid), sent=False)
        chased = reminded_of_commit(records[receiver].transfer(tid), sent=True)
        states = set(_states(records, tid).values())
        if reminded and chased and states == {TransferState.COMMITTED}:
            return []
        return [f"{ref}: reminded {reminded}, chased {chased}, transfer {states}"]

    return failures


def conflict_resolved(ref: str, owner: str, epoch: int, forces: tuple[str, ...]) -> EndCheck:
    """Every view holds one owner at the resolved epoch, with no conflict, unfrozen."""

    async def failures(stage: Stage) -> list[str]:
        found = []
        for force, record in (await _records(stage, ref, *forces)).items():
            held = (record.owner, record.epoch, record.conflicts, record.history[-1].kind)
            if held != (owner, epoch, [], ChangeKind.RESOLVED) or (
                record.status is RecordStatus.IN_CONFLICT
            ):
                found.append(f"{ref}: {force} holds {held[:2]}, {record.status}: not resolved")
        return found

    return failures


def managed_by(ref: str, force: str, code: str, name: str) -> EndCheck:
    """The authority manages the record since the commit; no further move was started."""

    async def failures(stage: Stage) -> list[str]:
        record = (await _records(stage, ref, force))[force]
        held = (record.owner, record.managed_by, record.status, len(record.transfers))
        if held == (code, name, RecordStatus.MANAGED_EXTERNALLY, 1):
            return []
        return [f"{ref}: {force} holds {held}, not managed by {name} and closed to moves"]

    return failures


def status_text(record: OffenderRecord, now: datetime) -> str:
    """What the final table says of a view beyond its owner and epoch."""
    if record.managed_by is not None:
        return f"managed by {record.managed_by}"
    if record.whereabouts_unknown(now, LEVELS):
        return "whereabouts unknown"
    return ""
