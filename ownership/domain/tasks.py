"""The tasks a record gives a person at this force: what to do, by when, and what closes it.

Tasks are worked out from the record's state and the time, never stored: a task is open
while the state that raises it holds and nobody has closed it (``CloseTask``, kept on the
record as a ``ClosedTask`` with what was done, by whom and why). Each has a stable id
(``<kind>:<key>``), a due time, whether it needs immediate action (those head the worklist),
and the steps that close it (``closed_by``: ``task.closed``, or a protocol step).

Each kind is one function of ``(record, now, levels)`` listed in ``KINDS``. To add a kind: a
``TaskKind`` member, its ``OUTCOMES``, one function here, one entry in ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from ownership.domain.commands import CloseTask
from ownership.domain.deadlines import ServiceLevels, step_due
from ownership.domain.errors import InvalidDetailsError, TaskNotOpenError, TaskOutcomeError
from ownership.domain.events import TaskClosed
from ownership.domain.pending import WaitingFor, waiting_for
from ownership.domain.record_core import RecordCore, emit
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.task_kinds import ClosedTask, TaskKind, TaskOutcome
from ownership.domain.visits import warrant_considerations

CLOSE = "task.closed"
"""The step that closes any task: someone records what was done."""

_FINDING = (
    TaskOutcome.LOCATED,
    TaskOutcome.NEW_ADDRESS_FOUND,
    TaskOutcome.CIRCULATED_MISSING,
    TaskOutcome.CIRCULATED_WANTED,
    TaskOutcome.REDIRECTED,
)
OUTCOMES: Mapping[TaskKind, tuple[TaskOutcome, ...]] = MappingProxyType(
    {
        TaskKind.WHEREABOUTS_UNKNOWN: _FINDING,
        TaskKind.EVIDENCE_OF_ABSENCE: _FINDING,
        TaskKind.ARRIVAL_OVERDUE: (TaskOutcome.ARRIVED, *_FINDING),
        TaskKind.EXPIRED_TRANSFER: (
            TaskOutcome.TRANSFER_RESTARTED,
            TaskOutcome.REMAINS_HERE,
            *_FINDING,
        ),
        TaskKind.LAPSED_ACCEPTANCE: (
            TaskOutcome.TRANSFER_RESTARTED,
            TaskOutcome.REMAINS_HERE,
            *_FINDING,
        ),
        TaskKind.POSSIBLE_WARRANT: (
            TaskOutcome.WARRANT_SOUGHT,
            TaskOutcome.ENTRY_OBTAINED,
            TaskOutcome.WARRANT_NOT_NEEDED,
        ),
    }
)
"""What may be recorded as the result of each kind of task."""

AFTER_EXPIRY = timedelta(days=1)
"""How long a coordinator has to decide what follows a lapsed transfer."""
AFTER_ARRIVAL_DUE = timedelta(days=1)
"""How long the receiving force has to say whether an overdue offender arrived."""
AFTER_LAPSE = timedelta(days=1)
"""How long a coordinator has to decide what follows an acceptance that lapsed."""
AFTER_SECOND_REFUSAL = timedelta(days=2)
"""How long the offender manager has to consider a s.96B warrant."""


@dataclass(frozen=True)
class Task:
    """One thing a person at this force must do about one record."""

    task_id: str
    reference: str
    kind: TaskKind
    summary: str
    raised_at: datetime
    due: datetime
    immediate: bool
    closed_by: tuple[str, ...] = (CLOSE,)
    transfer_id: str | None = None

    @property
    def outcomes(self) -> tuple[TaskOutcome, ...]:
        """What may be recorded when it is closed."""
        return OUTCOMES[self.kind]

    def is_overdue(self, now: datetime) -> bool:
        """Whether its due time has passed (an immediate task is due when raised)."""
        return now > self.due


def whereabouts_unknown_tasks(
    record: RecordCore, now: datetime, levels: ServiceLevels
) -> Iterator[Task]:
    """The owner's: a receiving force says the offender never arrived."""
    for transfer in record.transfers:
        failure = transfer.arrival_failure
        if transfer.side is Side.OWNER and failure is not None:
            tried = "; ".join(f"{a.check} {a.at:%Y-%m-%d %H:%M}" for a in failure.attempts)
            yield Task(
                f"{TaskKind.WHEREABOUTS_UNKNOWN}:{transfer.transfer_id}",
                record.reference,
                TaskKind.WHEREABOUTS_UNKNOWN,
                f"failed to arrive at {failure.reported_by}: whereabouts unknown, act"
                f" immediately ({failure.summary}; tried: {tried})",
                failure.reported_at,
                failure.reported_at,
                immediate=True,
                transfer_id=transfer.transfer_id,
            )


def absence_tasks(record: RecordCore, now: datetime, levels: ServiceLevels) -> Iterator[Task]:
    """The owner's, and the forwarding force's: the offender left the registered address."""
    for number, absence in enumerate(record.absences, start=1):
        told = f", reported by {absence.reported_by_force}" if absence.reported_by_force else ""
        where = absence.forwarding_address
        going = f"; believed at {', '.join(where.lines)}, {where.town}" if where else ""
        yield Task(
            f"{TaskKind.EVIDENCE_OF_ABSENCE}:{number}",
            record.reference,
            TaskKind.EVIDENCE_OF_ABSENCE,
            f"left the registered address on {absence.date_left:%Y-%m-%d}{told}{going}:"
            " act immediately to locate them",
            absence.recorded_at,
            absence.recorded_at,
            immediate=True,
        )


def arrival_overdue_tasks(
    record: RecordCore, now: datetime, levels: ServiceLevels
) -> Iterator[Task]:
    """The receiver's: acceptance is overdue and the offender has not registered here."""
    for transfer in record.transfers:
        waits = waiting_for(transfer)
        if transfer.side is not Side.RECEIVER or waits not in _AWAITING_ARRIVAL:
            continue
        due = step_due(transfer, levels)
        if due is None or now.date() <= due[1]:
            continue
        raised = datetime.combine(due[1], datetime.min.time(), now.tzinfo) + timedelta(days=1)
        yield Task(
            f"{TaskKind.ARRIVAL_OVERDUE}:{transfer.transfer_id}",
            record.reference,
            TaskKind.ARRIVAL_OVERDUE,
            f"expected from {transfer.owner} on {transfer.details.expected_date:%Y-%m-%d} and"
            " not registered: report a failure to arrive, or accept",
            raised,
            raised + AFTER_ARRIVAL_DUE,
            immediate=False,
            closed_by=(str(Step.FAIL_TO_ARRIVE), str(Step.ACCEPT), CLOSE),
            transfer_id=transfer.transfer_id,
        )


_AWAITING_ARRIVAL = frozenset({WaitingFor.ACCEPTANCE, WaitingFor.CONSULTATION})


def expired_transfer_tasks(
    record: RecordCore, now: datetime, levels: ServiceLevels
) -> Iterator[Task]:
    """The owner's: a transfer lapsed without an answer (unless the offender is known lost)."""
    for transfer in record.transfers:
        if transfer.side is not Side.OWNER or transfer.state is not TransferState.EXPIRED:
            continue
        if transfer.arrival_failure is not None:
            continue  # the whereabouts-unknown task says more
        expired = next((s.at for s in transfer.steps if s.step is Step.EXPIRE), None)
        raised = expired or transfer.last_step_at
        yield Task(
            f"{TaskKind.EXPIRED_TRANSFER}:{transfer.transfer_id}",
            record.reference,
            TaskKind.EXPIRED_TRANSFER,
            f"the transfer to {transfer.receiver} expired without an answer: confirm where"
            " the offender is and start again, or keep managing them here",
            raised,
            raised + AFTER_EXPIRY,
            immediate=False,
            transfer_id=transfer.transfer_id,
        )


def lapsed_acceptance_tasks(
    record: RecordCore, now: datetime, levels: ServiceLevels
) -> Iterator[Task]:
    """The owner's: an acceptance it never committed lapsed, and it still manages the offender."""
    for transfer in record.transfers:
        if transfer.side is not Side.OWNER or transfer.state is not TransferState.LAPSED:
            continue
        lapsed = next((s.at for s in transfer.steps if s.step is Step.LAPSE), None)
        raised = lapsed or transfer.last_step_at
        yield Task(
            f"{TaskKind.LAPSED_ACCEPTANCE}:{transfer.transfer_id}",
            record.reference,
            TaskKind.LAPSED_ACCEPTANCE,
            f"{transfer.receiver}'s acceptance lapsed uncommitted: this force still manages the"
            " offender; start the transfer again or keep managing them here",
            raised,
            raised + AFTER_LAPSE,
            immediate=False,
            transfer_id=transfer.transfer_id,
        )


def possible_warrant_tasks(
    record: RecordCore, now: datetime, levels: ServiceLevels
) -> Iterator[Task]:
    """The managing force's: entry to one premises was sought and not obtained twice."""
    if not record.is_owner:
        return
    started = {visit.visit_id: visit.started_at for visit in record.visits}
    for note in warrant_considerations(record.profile.category, record.visits):
        raised = max(started[visit_id] for visit_id in note.visit_ids)
        yield Task(
            f"{TaskKind.POSSIBLE_WARRANT}:{note.visit_ids[0]}",
            record.reference,
            TaskKind.POSSIBLE_WARRANT,
            f"entry to {note.address} was sought and not obtained on visits"
            f" {', '.join(note.visit_ids)}: consider a warrant ({note.authority})",
            raised,
            raised + AFTER_SECOND_REFUSAL,
            immediate=False,
        )


TaskSource = Callable[[RecordCore, datetime, ServiceLevels], Iterator[Task]]

KINDS: tuple[TaskSource, ...] = (
    whereabouts_unknown_tasks,
    absence_tasks,
    arrival_overdue_tasks,
    expired_transfer_tasks,
    lapsed_acceptance_tasks,
    possible_warrant_tasks,
)
"""Every kind of task, one function each."""


def open_tasks(record: RecordCore, now: datetime, levels: ServiceLevels) -> tuple[Task, ...]:
    """The record's tasks nobody has closed: immediate action first, then by due time."""
    closed = {c.task_id for c in record.closed_tasks}
    found = [t for source in KINDS for t in source(record, now, levels) if t.task_id not in closed]
    return tuple(sorted(found, key=task_order))


def task_order(task: Task) -> tuple[bool, int, datetime, str]:
    """The worklist's order: immediate action first, a failure to arrive above all (kinds
    in ``TaskKind``'s order), then the earliest due."""
    return (not task.immediate, _RANK[task.kind], task.due, task.task_id)


_RANK = {kind: rank for rank, kind in enumerate(TaskKind)}


def whereabouts_unknown(record: RecordCore, now: datetime, levels: ServiceLevels) -> bool:
    """Whether a receiving force said the offender never arrived and nobody has acted."""
    return any(t.kind is TaskKind.WHEREABOUTS_UNKNOWN for t in open_tasks(record, now, levels))


def close_task(record: RecordCore, cmd: CloseTask) -> None:
    """Record what was done about an open task, with which result and why; it closes."""
    tasks = open_tasks(record, cmd.at, cmd.levels)
    task = next((t for t in tasks if t.task_id == cmd.task_id), None)
    if task is None:
        raise TaskNotOpenError(f"{record.reference} has no open task {cmd.task_id}")
    if cmd.outcome not in task.outcomes:
        allowed = ", ".join(task.outcomes)
        raise TaskOutcomeError(f"a {task.kind} task closes as one of: {allowed}")
    if not cmd.done.strip() or not cmd.why.strip():
        raise InvalidDetailsError("say what was done and why the task can close")
    closed = ClosedTask(task.task_id, task.kind, cmd.outcome, cmd.done, cmd.why, cmd.by, cmd.at)
    record.closed_tasks.append(closed)
    emit(
        record,
        TaskClosed(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            task_id=task.task_id,
            kind=task.kind,
            outcome=cmd.outcome,
            done=cmd.done,
            why=cmd.why,
            by=cmd.by,
        ),
    )
