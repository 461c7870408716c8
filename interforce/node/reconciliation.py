"""Reconciliation on demand (`interforce reconcile`) and on a schedule (a node service).

Asking writes one `ownership.query` per counterpart (per 500 offenders) to the outbox; the
running node's relay sends them, each counterpart's node answers with `ownership.status`,
and this node's consumer compares the answers with its records and raises every
disagreement as a conflict. The answer's id is derived from the query's, so the asker can
tell when each answer has been applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from interforce.node.periodic import Periodic
from interforce.node.runtime import Node
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.adapters.views import all_records, applied_message_ids, records_in_conflict
from ownership.domain.commands import Reconcile
from ownership.domain.events import OwnershipQueried
from ownership.domain.history import Conflict, ConflictKind
from ownership.domain.reconciliation import status_id, unsettled_offenders
from ownership.service_layer.messagebus import message_bus
from producers.translation import outgoing_message


@dataclass(frozen=True)
class RaisedConflict:
    """A conflict on one record, as reconciliation reports it."""

    reference: str
    conflict: Conflict


async def ask_counterparts(
    pool: asyncpg.Pool,
    *,
    force: str,
    actor: str,
    clock: Callable[[], datetime],
    settle: timedelta,
    counterpart: str | None = None,
    signer: AuditSigner | None,
    no_node: frozenset[str] = frozenset(),
) -> list[OwnershipQueried]:
    """Write the queries to the outbox (none to a code in ``no_node``); return them."""
    now = clock()
    command = Reconcile(
        at=now, by=actor, counterpart=counterpart, settled_before=now - settle, no_node=no_node
    )
    async with pool.acquire() as connection:
        uow = PostgresUnitOfWork(
            connection,
            force=force,
            actor=actor,
            translate=outgoing_message,
            reason="reconciliation with counterparts",
            clock=clock,
            signer=signer,
        )
        await message_bus(uow).handle(command)
    return [message for message in uow.sent if isinstance(message, OwnershipQueried)]


async def left_to_settle(
    pool: asyncpg.Pool, *, settled_before: datetime, counterpart: str | None = None
) -> dict[str, list[str]]:
    """The shared offenders a reconciliation at ``settled_before`` leaves out because they
    moved since then, by counterpart (only ``counterpart``'s, if named)."""
    left = unsettled_offenders(await all_records(pool), settled_before)
    return {f: refs for f, refs in left.items() if counterpart in {None, f}}


def expected_answers(queries: Sequence[OwnershipQueried]) -> dict[str, str]:
    """The id of each query's answer → the force that will send it."""
    return {status_id(q.recipient, q.message_id): q.recipient for q in queries}


async def answers_applied(pool: asyncpg.Pool, answers: dict[str, str]) -> set[str]:
    """Which of the expected answers this node's consumer has applied."""
    return await applied_message_ids(pool, list(answers))


async def conflicts_raised_by(pool: asyncpg.Pool, answers: set[str]) -> list[RaisedConflict]:
    """The reconciliation conflicts that these answers raised."""
    found = []
    for record in await records_in_conflict(pool):
        found += [
            RaisedConflict(record.reference, c)
            for c in record.conflicts
            if c.kind is not ConflictKind.CLAIM and c.message_id in answers
        ]
    return found


class ScheduledReconciliation(Periodic):
    """The node service: ask every counterpart every ``interval`` seconds."""

    def __init__(self, interval: float, settle: timedelta) -> None:
        super().__init__("reconciliation", interval, self._ask)
        self._settle = settle
        self.last: list[OwnershipQueried] = []

    async def _ask(self, node: Node) -> None:
        if node.pool is None:
            raise RuntimeError("the node has not been started")
        self.last = await ask_counterparts(
            node.pool,
            force=node.identity.force,
            actor=node.identity.actor,
            clock=node.clock,
            settle=self._settle,
            signer=node.audit_signer,
            no_node=frozenset(a.code for a in node.identity.current_directory().authorities),
        )
