"""Every force of the directory on this machine, playing many transfers to committed ownership.

Each force has its own database, topics, signing key and `Node`; the nodes run a few processes
at a time (see `host`). The coordinators' side is `pilot`. At the end every invariant is
checked: each offender owned by its receiver at epoch 2 in both forces' records, no dead
letters, nothing left in any outbox, each message applied exactly once (inbox counts), and
every force's audit chain intact.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from interforce.audit.signers import KeySigner, directory_keys
from interforce.database import force_database_name
from ownership.adapters.audit_log import verify_chain
from ownership.adapters.record_codec import load_record
from schemas.topics import audit_topic, dead_letter_topic, inbox_topic
from tooling.autopilot import PlannedTransfer
from tooling.bench.context import BenchContext
from tooling.bench.host import READY
from tooling.bench.pilot import FederationPilot
from tooling.bench.processes import Spawned, node_env, spawn
from tooling.bench.signing_keys import signing_key


@dataclass
class FederationRun:
    """What the federation run did and whether every invariant held."""

    forces: int
    node_processes: int
    transfers: int
    messages: int
    commands: int
    wall_s: float
    converge_s: float
    invariants: dict[str, bool]

    @property
    def all_hold(self) -> bool:
        return all(self.invariants.values())


async def run_federation(context: BenchContext, logs: Path, processes: int) -> FederationRun:
    """Start the forces' nodes, play the transfers, check the invariants, stop."""
    sizes = context.sizes
    forces = [entry.code for entry in context.directory.forces][: sizes.federation_forces]
    namespace = context.namespace("fed")
    started = time.monotonic()
    urls = await asyncio.gather(
        *(context.database(force_database_name(f, namespace)) for f in forces)
    )
    await context.topics_for(
        [inbox_topic(f, namespace) for f in forces]
        + [dead_letter_topic(f, namespace) for f in forces]
        + [audit_topic(f, namespace) for f in forces]
    )
    hosts = _start_hosts(context, namespace, forces, processes, logs)
    pools = {
        force: await asyncpg.create_pool(url, min_size=1, max_size=2)
        for force, url in zip(forces, urls, strict=True)
    }
    try:
        await _wait_ready(hosts)
        plans = _plans(forces, sizes.federation_transfers, namespace)
        signers = {force: KeySigner(signing_key(context.keys, force)) for force in forces}
        pilot = FederationPilot(pools, plans, signers)
        playing = time.monotonic()
        await pilot.begin()
        await pilot.run_until_converged(within=1800)
        converge = time.monotonic() - playing
        await _drain_outboxes(pools)
        invariants = await _invariants(pools, plans, context)
        messages = sum(
            [int(await p.fetchval("select count(*) from inbox")) for p in pools.values()]
        )
    finally:
        for pool in pools.values():
            await pool.close()
        for spawned in hosts:
            spawned.stop()
    return FederationRun(
        forces=len(forces),
        node_processes=len(hosts),
        transfers=len(plans),
        messages=messages,
        commands=pilot.commands_run,
        wall_s=round(time.monotonic() - started, 1),
        converge_s=round(converge, 1),
        invariants=invariants,
    )


def _start_hosts(
    context: BenchContext, namespace: str, forces: list[str], processes: int, logs: Path
) -> list[Spawned]:
    env = node_env(
        context,
        namespace,
        INTERFORCE_BENCH_KEYS=str(context.keys),
        INTERFORCE_DATABASE_POOL_SIZE="3",
        INTERFORCE_RELAY_POLL_SECONDS="1.0",
    )
    shares = [forces[i::processes] for i in range(processes) if forces[i::processes]]
    return [
        spawn(["-m", "tooling.bench.host", ",".join(share)], env, logs / f"{namespace}-{i}.log")
        for i, share in enumerate(shares)
    ]


async def _wait_ready(hosts: list[Spawned], within: float = 300.0) -> None:
    deadline = time.monotonic() + within
    waiting = list(hosts)
    while waiting:
        for spawned in list(waiting):
            if not spawned.alive():
                raise RuntimeError("a node host exited:\n" + spawned.log_tail())
            if READY in spawned.log.read_text(errors="replace"):
                waiting.remove(spawned)
        if time.monotonic() > deadline:
            raise TimeoutError("node hosts not ready:\n" + waiting[0].log_tail())
        await asyncio.sleep(0.5)


def _plans(forces: list[str], count: int, namespace: str) -> list[PlannedTransfer]:
    """Transfers spread over every pair of forces: owner i, receiver a varying other force."""
    tag = namespace.split("_")[0].upper()
    plans = []
    for n in range(count):
        owner = forces[n % len(forces)]
        step = 1 + (n // len(forces)) % (len(forces) - 1)
        receiver = forces[(n % len(forces) + step) % len(forces)]
        plans.append(
            PlannedTransfer(f"{owner}-{tag}-{n:06d}", n, owner, receiver, str(uuid.uuid4()))
        )
    return plans


async def _drain_outboxes(pools: dict[str, asyncpg.Pool], within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        waiting = [
            int(await p.fetchval("select count(*) from outbox where sent_at is null"))
            for p in pools.values()
        ]
        if not any(waiting):
            return
        await asyncio.sleep(0.5)


async def _invariants(
    pools: dict[str, asyncpg.Pool], plans: list[PlannedTransfer], context: BenchContext
) -> dict[str, bool]:
    owned = True
    expected_inbox: dict[str, int] = dict.fromkeys(pools, 0)
    for plan in plans:
        expected_inbox[plan.receiver] += 2  # notified, transferred
        expected_inbox[plan.owner] += 2  # acknowledged, accepted
        for force in (plan.owner, plan.receiver):
            state = await pools[force].fetchval(
                "select state from offender_records where reference = $1", plan.reference
            )
            record = load_record(state) if state is not None else None
            owned = (
                owned and record is not None and (record.owner, record.epoch) == (plan.receiver, 2)
            )
    counts = {
        force: (
            int(await pool.fetchval("select count(*) from dead_letters")),
            int(await pool.fetchval("select count(*) from outbox where sent_at is null")),
            int(await pool.fetchval("select count(*) from inbox")),
        )
        for force, pool in pools.items()
    }
    chains = []
    keys = directory_keys(context.directory)
    for force, pool in pools.items():
        async with pool.acquire() as connection:
            chains.append((await verify_chain(connection, force=force, keys=keys)).intact)
    return {
        "every_offender_owned_by_its_receiver_at_epoch_2_on_both_sides": owned,
        "no_dead_letters": all(c[0] == 0 for c in counts.values()),
        "every_outbox_row_sent": all(c[1] == 0 for c in counts.values()),
        "every_message_applied_exactly_once": all(counts[f][2] == expected_inbox[f] for f in pools),
        "every_audit_chain_intact": all(chains),
    }
