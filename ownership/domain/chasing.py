"""Chasing overdue steps: climb the escalation ladder, remind the other force, let lapse."""

from __future__ import annotations

from datetime import date

from ownership.domain.casework import REMINDABLE, CaseworkSteps
from ownership.domain.commands import ChaseDeadlines, ExpireTransfer, SendReminder
from ownership.domain.deadlines import (
    LADDER,
    Escalation,
    OverdueStep,
    ServiceLevels,
    lapses,
    next_rung,
    overdue_steps,
)
from ownership.domain.events import DeadlineEscalated
from ownership.domain.owning import OwningSteps


class ChasingSteps(OwningSteps, CaseworkSteps):
    """What the scheduler does to a record each time it looks: one rung at a time."""

    def overdue(self, today: date, levels: ServiceLevels) -> list[OverdueStep]:
        """The steps past their service level on ``today``."""
        return overdue_steps(self.transfers, self.temporary_move, levels, today)

    def needs_chasing(self, today: date, levels: ServiceLevels) -> bool:
        """Whether ``chase`` would do anything on ``today``."""
        return any(
            next_rung(step, self.escalations, levels, today) is not None
            or lapses(step, self.escalations, levels, today)
            for step in self.overdue(today, levels)
        )

    def chase(self, cmd: ChaseDeadlines) -> None:
        """Climb the next rung of every overdue step, or let a transfer lapse after the last."""
        today = cmd.at.date()
        for step in self.overdue(today, cmd.levels):
            if lapses(step, self.escalations, cmd.levels, today):
                self.expire(ExpireTransfer(reference=self.reference, at=cmd.at, by=cmd.by,
                                           transfer_id=step.transfer_id))  # fmt: skip
                continue
            rung = next_rung(step, self.escalations, cmd.levels, today)
            if rung is not None:
                self._escalate(step, rung, cmd)

    def _escalate(self, step: OverdueStep, rung: int, cmd: ChaseDeadlines) -> None:
        remind = step.party != self.held_by and step.waiting_for in REMINDABLE
        if remind:
            self.send_reminder(
                SendReminder(
                    reference=self.reference, at=cmd.at, by=cmd.by, transfer_id=step.transfer_id
                )
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
        self.escalations.append(escalation)
        self._emit(
            DeadlineEscalated(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=step.transfer_id,
                waiting_for=step.waiting_for,
                level=escalation.level,
                party=step.party,
                due=step.due,
                reminded=remind,
            )
        )
