"""The deadline scheduler: escalate overdue steps, remind the other force, let transfers lapse.

Each pass reads the records that can have something overdue, asks each one (pure domain,
today's date from the clock) whether a rung or the final deadline has come, and runs
`ChaseDeadlines` through the bus for those that have: the escalation, the reminder sent to
the other force and any expiry commit together with their audit rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import asyncpg

from interforce.node.casework import execute
from interforce.node.periodic import Periodic
from interforce.node.runtime import Node
from interforce.settings import Settings
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.views import records_that_may_be_waiting
from ownership.domain.commands import ChaseDeadlines
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import DomainError
from ownership.domain.events import (
    AcceptanceLapsed,
    DeadlineEscalated,
    ReminderSent,
    TransferExpired,
)
from producers.translation import outgoing_message

log = logging.getLogger(__name__)


def service_levels(settings: Settings) -> ServiceLevels:
    """The service levels the settings name."""
    return ServiceLevels(
        acknowledge_days=settings.acknowledge_days,
        accept_days_after_move=settings.accept_days_after_move,
        return_days_after_end=settings.return_days_after_end,
        escalate_every_days=settings.escalate_every_days,
        expire_days_after_due=settings.expire_days_after_due,
        commit_days=settings.commit_days,
        acceptance_valid_days=settings.acceptance_valid_days,
        answer_request_days=settings.answer_request_days,
    )


@dataclass
class ChaseReport:
    """What one pass did."""

    records: list[str] = field(default_factory=list)
    escalations: int = 0
    reminders: int = 0
    expired: int = 0
    lapsed: int = 0
    failures: list[str] = field(default_factory=list)


class DeadlineChaser:
    """One pass over one force's records; the scheduler calls it, so can a test or the CLI."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        force: str,
        actor: str,
        levels: ServiceLevels,
        clock: Callable[[], datetime],
        signer: AuditSigner | None = None,
    ) -> None:
        self._pool = pool
        self._signer = signer
        self._force = force
        self._actor = actor
        self._levels = levels
        self._clock = clock

    async def due(self) -> list[str]:
        """The records with a rung or a final deadline come today."""
        today = self._clock().date()
        records = await records_that_may_be_waiting(self._pool)
        return [r.reference for r in records if r.needs_chasing(today, self._levels)]

    async def chase(self) -> ChaseReport:
        """Chase every record that is due; a record that fails is logged and left for later."""
        report = ChaseReport()
        for reference in await self.due():
            command = ChaseDeadlines(
                reference=reference, at=self._clock(), by=self._actor, levels=self._levels
            )
            try:
                events = await execute(
                    self._pool, command, force=self._force, actor=self._actor,
                    reason="service level passed", translate=outgoing_message, clock=self._clock,
                    signer=self._signer,
                )  # fmt: skip
            except DomainError as error:
                log.warning("could not chase %s: %s: %s", reference, error.code, error)
                report.failures.append(reference)
                continue
            report.records.append(reference)
            report.escalations += sum(isinstance(e, DeadlineEscalated) for e in events)
            report.reminders += sum(isinstance(e, ReminderSent) for e in events)
            report.expired += sum(isinstance(e, TransferExpired) for e in events)
            report.lapsed += sum(isinstance(e, AcceptanceLapsed) for e in events)
        if report.records:
            log.info(
                "deadlines: %d escalations, %d reminders, %d expired, %d acceptances lapsed"
                " over %d records",
                report.escalations, report.reminders, report.expired, report.lapsed,
                len(report.records),
            )  # fmt: skip
        return report


class DeadlineScheduler(Periodic):
    """The node service: a chase every ``interval`` seconds on the node's pool and clock."""

    def __init__(
        self, levels: ServiceLevels, interval: float, *, clock_offset: timedelta = timedelta(0)
    ) -> None:
        super().__init__("deadline-scheduler", interval, self._pass)
        self.levels = levels
        self.clock_offset = clock_offset
        self.last: ChaseReport | None = None

    def chaser(self, node: Node) -> DeadlineChaser:
        """The chaser over ``node``'s database."""
        if node.pool is None:
            raise RuntimeError("the node has not been started")
        identity = node.identity
        clock, offset = node.clock, self.clock_offset
        return DeadlineChaser(
            node.pool,
            force=identity.force,
            actor=identity.actor,
            levels=self.levels,
            clock=(lambda: clock() + offset) if offset else clock,
            signer=node.audit_signer,
        )

    async def _pass(self, node: Node) -> None:
        self.last = await self.chaser(node).chase()
