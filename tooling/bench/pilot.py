"""The federation bench's coordinators: every force's desk works its queue at the same time.

`tooling.autopilot` walks the transfers one by one, which is right for tests and the demo
but leaves 10,000 transfers waiting on each other. Here each pass reads every force's records
in one query, finds each transfer's next step (the same steps, in the same order), and each
force works its own steps concurrently with the others, a few offenders per transaction.
The coordinators here are load, not the thing measured: a transaction's commands share one
record stage, as a batch of inbox messages does, so the nodes are what the run waits on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import asyncpg

from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.record_codec import load_record
from ownership.adapters.staged_commands import StagedCommands
from ownership.adapters.transient import is_transient
from ownership.domain.commands import Command
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState
from ownership.service_layer.messagebus import message_bus
from producers.translation import outgoing_message
from tooling import playbook
from tooling.autopilot import PlannedTransfer

log = logging.getLogger(__name__)

PER_TRANSACTION = 10


class FederationPilot:
    """Plays planned transfers through running nodes until each is committed on both sides."""

    def __init__(
        self,
        pools: dict[str, asyncpg.Pool],
        plans: Sequence[PlannedTransfer],
        signers: Mapping[str, AuditSigner],
    ) -> None:
        self.pools = pools
        self._signers = signers  # each force's key, sealing its coordinators' audit rows
        self.plans = list(plans)
        self.commands_run = 0

    async def begin(self) -> None:
        """Register, review and notify every planned transfer at its owner."""
        at = datetime.now(UTC)
        work: dict[str, list[list[Command]]] = defaultdict(list)
        for plan in self.plans:
            steps = playbook.register(plan.reference, at, plan.n) + playbook.review_and_notify(
                plan.reference,
                plan.transfer_id,
                plan.receiver,
                playbook.move(plan.owner, at.date(), n=plan.n),
                playbook.profile(plan.n),
                at,
            )
            work[plan.owner].append(steps)
        await self._work(work)

    async def run_until_converged(self, within: float, every: float = 0.5) -> int:
        """Pass until every transfer is committed on both sides; return the passes taken."""
        deadline, passes = time.monotonic() + within, 0
        while True:
            passes += 1
            pending = await self.step()
            if not pending:
                return passes
            if time.monotonic() > deadline:
                raise TimeoutError(f"{pending} transfers not committed after {within:.0f}s")
            await asyncio.sleep(every)

    async def step(self) -> int:
        """Take every due step once; return how many transfers are not yet committed."""
        records = await self._snapshot()
        work: dict[str, list[list[Command]]] = defaultdict(list)
        pending = 0
        at = datetime.now(UTC)
        for plan in self.plans:
            mine = records[plan.owner].get(plan.reference)
            theirs = records[plan.receiver].get(plan.reference)
            done, force, steps = _next_step(plan, mine, theirs, at)
            if not done:
                pending += 1
            if steps:
                work[force].append(steps)
        await self._work(work)
        return pending

    async def _snapshot(self) -> dict[str, dict[str, OffenderRecord]]:
        wanted: dict[str, list[str]] = defaultdict(list)
        for plan in self.plans:
            wanted[plan.owner].append(plan.reference)
            wanted[plan.receiver].append(plan.reference)

        async def read(force: str) -> tuple[str, dict[str, OffenderRecord]]:
            rows = await self.pools[force].fetch(
                "select reference, state from offender_records where reference = any($1)",
                wanted[force],
            )
            return force, {row["reference"]: load_record(row["state"]) for row in rows}

        return dict(await asyncio.gather(*(read(force) for force in self.pools)))

    async def _work(self, work: dict[str, list[list[Command]]]) -> None:
        await asyncio.gather(*(self._desk(force, queue) for force, queue in work.items()))

    async def _desk(self, force: str, queue: list[list[Command]]) -> None:
        """One force's coordinators work their queue, a few offenders per transaction."""
        for first in range(0, len(queue), PER_TRANSACTION):
            group = queue[first : first + PER_TRANSACTION]
            try:
                await self._run(force, group)
            except Exception as error:
                if not is_transient(error):
                    raise
                log.info("%s deferred a step: %r", force, error)

    async def _run(self, force: str, group: list[list[Command]]) -> None:
        """The group's commands in one transaction, sharing one stage as the inbox's messages
        do: their records read in one query, written and audited once at the end."""
        async with self.pools[force].acquire() as connection, connection.transaction():
            staged = StagedCommands(
                connection, force=force, actor=f"coordinator:{force}", translate=outgoing_message
            )
            await staged.load(command.reference for commands in group for command in commands)
            audit: list[AuditEntry] = []
            for commands in group:
                for command in commands:
                    uow = staged.unit_of_work("transfer casework")
                    await message_bus(uow).handle(command)
                    audit.extend(uow.audit_entries)
                    self.commands_run += 1
            await staged.write()
            await append_entries(connection, audit, signer=self._signers[force])


def _next_step(
    plan: PlannedTransfer,
    mine: OffenderRecord | None,
    theirs: OffenderRecord | None,
    at: datetime,
) -> tuple[bool, str, list[Command]]:
    """(committed on both sides, the force that acts, its commands) for one transfer."""
    if mine is None or theirs is None:
        return False, plan.owner, []
    sent, held = mine.transfer(plan.transfer_id), theirs.transfer(plan.transfer_id)
    if held.state is TransferState.COMMITTED and sent.state is TransferState.COMMITTED:
        return True, plan.owner, []
    ref, tid, receiver = plan.reference, plan.transfer_id, plan.receiver
    if held.state is TransferState.NOTIFIED:
        mappa = theirs.profile.is_mappa_case
        steps = playbook.acknowledge_and_consult(ref, tid, receiver, at, mappa=mappa)
        steps += playbook.accept(ref, tid, receiver, at)
        return False, receiver, steps
    if sent.state is TransferState.ACCEPTED:
        return False, plan.owner, playbook.commit(ref, tid, at)
    return False, plan.owner, []
