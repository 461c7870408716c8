"""Chasing overdue steps: climb the escalation ladder, remind the other force, let lapse.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from datetime import date

from ownership.domain.casework import REMINDABLE, send_reminder
from ownership.domain.commands import ChaseDeadlines, ExpireTransfer, SendReminder
from ownership.domain.deadlines import (
    LADDER,
    Escalation,
    OverdueStep,
    ServiceLevels,
    acceptance_lapses,
    lapses,
    next_rung,
    overdue_steps,
)
from ownership.domain.events import DeadlineEscalated
from ownership.domain.owning import expire, lapse_acceptance
from ownership.domain.record_core import RecordCore, emit
from ownership.domain.requests import overdue_requests


def overdue(record: RecordCore, today: date, levels: ServiceLevels) -> list[OverdueStep]:
    """The steps past their service level on ``today``."""
    steps = overdue_steps(record.transfers, record.temporary_move, levels, today)
    return steps + overdue_requests(record.held_by, record.requests, levels, today)


def needs_chasing(record: RecordCore, today: date, levels: ServiceLevels) -> bool:
    """Whether ``chase`` would do anything on ``today``."""
    if any(acceptance_lapses(t, levels, today) for t in record.transfers):
        return True
    return any(
        next_rung(step, record.escalations, levels, today) is not None
        or lapses(step, record.escalations, levels, today)
        for step in overdue(record, today, levels)
    )


def chase(record: RecordCore, cmd: ChaseDeadlines) -> None:
    """Climb the next rung of every overdue step, or let a transfer lapse after the last;
    let an acceptance lapse that was not committed within its validity window."""
    today = cmd.at.date()
    for transfer in list(record.transfers):
        if acceptance_lapses(transfer, cmd.levels, today):
            lapse_acceptance(record, transfer.transfer_id, cmd.at, cmd.by)
    for step in overdue(record, today, cmd.levels):
        if lapses(step, record.escalations, cmd.levels, today):
            lapse = ExpireTransfer(
                reference=record.reference, at=cmd.at, by=cmd.by, transfer_id=step.transfer_id
            )
            expire(record, lapse)
            continue
        rung = next_rung(step, record.escalations, cmd.levels, today)
        if rung is not None:
            _escalate(record, step, rung, cmd)


def _escalate(record: RecordCore, step: OverdueStep, rung: int, cmd: ChaseDeadlines) -> None:
    by_hand = step.transfer is not None and step.transfer.manual is not None
    remind = step.party != record.held_by and step.waiting_for in REMINDABLE and not by_hand
    if remind:
        send_reminder(
            record,
            SendReminder(
                reference=record.reference, at=cmd.at, by=cmd.by, transfer_id=step.transfer_id
            ),
        )
    escalation = Escalation(
        step.transfer_id,
        step.waiting_for,
        LADDER[rung],
        step.party,
        step.due,
        cmd.at,
        cmd.by,
        reminded=remind,
    )
    record.escalations.append(escalation)
    emit(
        record,
        DeadlineEscalated(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=step.transfer_id,
            waiting_for=step.waiting_for,
            level=escalation.level,
            party=step.party,
            due=step.due,
            reminded=remind,
        ),
    )
