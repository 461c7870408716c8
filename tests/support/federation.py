"""A federation of real node processes on the real broker and database, for e2e tests."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from interforce.audit.signers import KeySigner
from interforce.database import database_url, force_database_name
from ownership.adapters.audit_log import verify_chain
from producers.translation import outgoing_message
from tests.keys import current_kid, load_test_key
from tests.support.databases import drop_database
from tests.support.nodes import Federation, NodeProcess
from tests.support.waiting import eventually
from tooling.autopilot import Coordinators, PlannedTransfer


def new_federation(kafka_bootstrap: str, postgres_url: str, logs: Path) -> Federation:
    """A federation with a namespace of its own: its own topics and databases."""
    return Federation(f"t{uuid.uuid4().hex[:10]}", kafka_bootstrap, postgres_url, logs)


def plans(owner: str, receiver: str, count: int, first: int = 0) -> list[PlannedTransfer]:
    """`count` offenders registered at `owner`, each to be handed over to `receiver`."""
    return [
        PlannedTransfer(f"{owner}-2026-{n:06d}", n, owner, receiver, str(uuid.uuid4()))
        for n in range(first, first + count)
    ]


@dataclass
class Running:
    """Node processes and a desk (with its pool) per force."""

    federation: Federation
    nodes: dict[str, list[NodeProcess]] = field(default_factory=dict)
    desks: dict[str, Coordinators] = field(default_factory=dict)

    def url(self, force: str) -> str:
        federation = self.federation
        name = force_database_name(force, federation.database_namespace or federation.namespace)
        return database_url(self.federation.postgres_url, name)

    async def start(self, force: str, **settings: str) -> NodeProcess:
        """Start a node for `force`, with more `INTERFORCE_*` settings; wait until healthy."""
        return await self.start_instance(force, 1, **settings)

    async def start_instance(self, force: str, instance: int, **settings: str) -> NodeProcess:
        """Start instance `instance` of `force`'s node (several share one consumer group)."""
        node = NodeProcess(self.federation, force, instance, settings=settings).start()
        self.nodes.setdefault(force, []).append(node)
        await wait_healthy(node)
        if force not in self.desks:
            pool = await asyncpg.create_pool(self.url(force), min_size=1, max_size=4)
            signer = KeySigner(load_test_key(current_kid(force)))  # the key its node has
            self.desks[force] = Coordinators(force, pool, outgoing_message, signer=signer)
        return node

    async def audit_intact(self, force: str) -> bool:
        async with self.desks[force].pool.acquire() as connection:
            return (await verify_chain(connection)).intact

    def audit_verify_cli(self, force: str) -> subprocess.CompletedProcess[str]:
        """`interforce audit verify --force X` as an operator runs it, against this federation."""
        return subprocess.run(
            [sys.executable, "-m", "interforce", "audit", "verify", "--force", force],
            env=self.federation.env(force),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    async def count(self, force: str, query: str) -> int:
        return int(await self.desks[force].pool.fetchval(query))

    def tell_troubles(self) -> None:
        """Print each node's recent warnings and errors (pytest shows them with a failure)."""
        for processes in self.nodes.values():
            for node in processes:
                print(f"--- {node.force}-{node.instance}: warnings and errors", file=sys.stderr)
                print(node.troubles(), file=sys.stderr)

    async def close(self) -> None:
        for processes in self.nodes.values():
            for node in processes:
                with contextlib.suppress(Exception):
                    node.terminate(timeout=30)
        for desk in self.desks.values():
            await desk.pool.close()
        federation = self.federation
        for force in self.desks:
            name = force_database_name(force, federation.database_namespace or federation.namespace)
            with contextlib.suppress(Exception):  # a fault test may have the server down
                await drop_database(federation.postgres_url, name)


async def wait_healthy(node: NodeProcess, within: float = 90.0) -> None:
    async def healthy() -> bool:
        if not node.alive():
            raise RuntimeError(f"node {node.force} exited:\n{node.log_tail()}")
        report = await asyncio.to_thread(node.health)
        return bool(report and report.get("healthy"))

    try:
        await eventually(healthy, within=within, every=0.3)
    except TimeoutError as error:
        raise TimeoutError(f"node {node.force} not healthy:\n{node.log_tail()}") from error


@contextlib.asynccontextmanager
async def running(federation: Federation, forces: Sequence[str]) -> AsyncIterator[Running]:
    """One node per force, started, and torn down afterwards."""
    run = Running(federation)
    try:
        for force in forces:
            await run.start(force)
        yield run
    except BaseException:
        run.tell_troubles()
        raise
    finally:
        await run.close()
