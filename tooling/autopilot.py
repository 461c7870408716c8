"""Coordinators on autopilot: play planned transfers through real nodes to committed ownership.

Each force's `Coordinators` run commands against that force's database, as they would
through the CLI or dashboard; the running nodes carry the messages between forces. The
`Autopilot` looks at each force's records and takes the next step whenever one is due, so it
keeps going through faults (a node killed, the broker or the database restarted): a step that
fails for a transient reason is simply taken on a later pass.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from interforce.node.casework import execute
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.outbox import EventTranslator
from ownership.adapters.record_codec import load_record
from ownership.adapters.transient import is_transient
from ownership.domain.commands import Command
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState
from ownership.domain.transfer import Transfer
from tooling import playbook

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedTransfer:
    """Offender number `n`, registered at `owner`, to be handed over to `receiver`."""

    reference: str
    n: int
    owner: str
    receiver: str
    transfer_id: str


class Coordinators:
    """One force's coordinators: commands in, records out, over the force's database."""

    def __init__(
        self,
        force: str,
        pool: asyncpg.Pool,
        translate: EventTranslator,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        signer: AuditSigner | None,
    ) -> None:
        self.force = force
        self.pool = pool
        self._signer = signer  # the force's key, as its coordinators' CLI or dashboard has
        self._translate = translate
        self._clock = clock

    @property
    def signer(self) -> AuditSigner | None:
        """The key that seals this desk's audit rows."""
        return self._signer

    async def run(self, commands: Sequence[Command]) -> None:
        """Issue the commands in order, each in its own unit of work."""
        for command in commands:
            await execute(
                self.pool,
                command,
                force=self.force,
                actor=f"coordinator:{self.force}",
                reason="transfer casework",
                translate=self._translate,
                clock=self._clock,
                signer=self._signer,
            )

    async def record(self, reference: str) -> OffenderRecord | None:
        """This force's committed record of an offender."""
        state = await self.pool.fetchval(
            "select state from offender_records where reference = $1", reference
        )
        return load_record(state) if state is not None else None


class Autopilot:
    """Takes every due step of every planned transfer until all are committed."""

    def __init__(
        self,
        desks: dict[str, Coordinators],
        plans: Sequence[PlannedTransfer],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.desks = desks
        self.plans = list(plans)
        self._clock = clock

    async def begin(self) -> None:
        """Register each offender at its owner, review it and notify the receiver."""
        for plan in self.plans:
            owner, at = self.desks[plan.owner], self._clock()
            await owner.run(playbook.register(plan.reference, at, plan.n))
            details = playbook.move(plan.owner, at.date(), n=plan.n)
            steps = playbook.review_and_notify(
                plan.reference,
                plan.transfer_id,
                plan.receiver,
                details,
                playbook.profile(plan.n),
                at,
            )
            await owner.run(steps)

    async def step(self) -> int:
        """Take every step now due; return how many transfers are not yet committed."""
        pending = 0
        for plan in self.plans:
            try:
                if not await self._advance(plan):
                    pending += 1
            except Exception as error:
                if not is_transient(error):
                    raise
                log.info("step for %s deferred: %r", plan.reference, error)
                pending += 1
        return pending

    async def run_until_converged(self, within: float = 120.0, every: float = 0.2) -> None:
        """Step until every transfer is committed on both sides, or raise TimeoutError."""
        deadline = time.monotonic() + within
        while await self.step():
            if time.monotonic() > deadline:
                stuck = "; ".join(await self.pending())
                raise TimeoutError(f"transfers not converged after {within:.0f}s: {stuck}")
            await asyncio.sleep(every)

    async def pending(self, most: int = 10) -> list[str]:
        """Up to `most` transfers not yet committed on both sides, each with the step it is
        at in the owner's and the receiver's records (or why that cannot be read)."""
        described: list[str] = []
        for plan in self.plans:
            try:
                where = await self._where(plan)
            except Exception as error:  # the database is away: say so rather than hide it
                where = f"unreadable ({error!r})"
            if where is not None:
                described.append(f"{plan.reference} {where}")
            if len(described) == most:
                break
        return described

    async def _where(self, plan: PlannedTransfer) -> str | None:
        """The transfer's state at the owner and at the receiver; None once committed at both."""
        states = []
        for force in (plan.owner, plan.receiver):
            record = await self.desks[force].record(plan.reference)
            transfer = None if record is None else record.find_transfer(plan.transfer_id)
            states.append(None if transfer is None else transfer.state)
        if states == [TransferState.COMMITTED, TransferState.COMMITTED]:
            return None
        owner, receiver = (state.value if state else "not held" for state in states)
        return f"({plan.owner}: {owner}, {plan.receiver}: {receiver})"

    async def _advance(self, plan: PlannedTransfer) -> bool:
        """Take the next due step of one transfer; True once committed on both sides."""
        owner, receiver = self.desks[plan.owner], self.desks[plan.receiver]
        theirs = await receiver.record(plan.reference)
        mine = await owner.record(plan.reference)
        if mine is None or theirs is None:
            return False  # the notification has not arrived yet
        sent, held = mine.transfer(plan.transfer_id), theirs.transfer(plan.transfer_id)
        at = self._clock()
        if held.state is TransferState.COMMITTED and sent.state is TransferState.COMMITTED:
            return True
        if held.state is TransferState.NOTIFIED:
            mappa = theirs.profile.is_mappa_case
            ack = playbook.acknowledge_and_consult(
                plan.reference, plan.transfer_id, plan.receiver, at, mappa=mappa
            )
            await receiver.run(ack)
        elif held.state is TransferState.ACKNOWLEDGED and not _consulted(held):
            mappa = theirs.profile.is_mappa_case
            ack = playbook.acknowledge_and_consult(
                plan.reference, plan.transfer_id, plan.receiver, at, mappa=mappa
            )
            await receiver.run(ack[1:])  # acknowledged earlier; the consultation was cut short
        elif held.state is TransferState.ACKNOWLEDGED:
            await receiver.run(playbook.accept(plan.reference, plan.transfer_id, plan.receiver, at))
        elif sent.state is TransferState.ACCEPTED:
            await owner.run(playbook.commit(plan.reference, plan.transfer_id, at))
        return False


def _consulted(transfer: Transfer) -> bool:
    return transfer.consultation is not None and transfer.consultation.is_complete
