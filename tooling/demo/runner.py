"""Start the federation, play every scenario, check the invariants, stop (or keep running)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from interforce.audit.signers import KeySigner
from interforce.database import database_url, force_database_name
from interforce.kafka_clients import client_options
from interforce.settings import Settings
from producers.translation import outgoing_message
from schemas.signing import load_signing_key
from tooling.autopilot import Coordinators
from tooling.demo.checks import invariant_failures, ownership_table, settle
from tooling.demo.new_paths import NEW_PATHS
from tooling.demo.processes import NodeProcess
from tooling.demo.scenarios import SCENARIOS
from tooling.demo.stage import Stage
from tooling.services.process import free_port

FORCES = ("GMP", "WMP", "MPS", "WYP", "BTP")
DASHBOARD_FORCE = "GMP"
SCHEDULER_PLAYED_BY_THE_DEMO = frozenset({"GMP"})
"""Forces whose deadline passes the demo runs itself, on a clock it moves on by days (a
rung of the ladder waits days for the next): their node's own scheduler is off."""
DEMO_USER, DEMO_PASSWORD = "demo.coordinator", "demo-only-password"
TEST_KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"


def node_env(settings: Settings, namespace: str, force: str, keys: Path) -> dict[str, str]:
    return {
        # the demo federation signs with the test keys and trusts the packaged directory
        "INTERFORCE_ENVIRONMENT": "development",
        "INTERFORCE_NAMESPACE": namespace,
        "INTERFORCE_DATABASE_NAMESPACE": namespace,
        "INTERFORCE_KAFKA_BOOTSTRAP": settings.kafka_bootstrap_servers,
        "INTERFORCE_DATABASE_URL": settings.server_database_url,
        "INTERFORCE_SIGNING_KEY": str(keys / f"{force.lower()}-2024.json"),
        "INTERFORCE_LOG_FORMAT": "json",
        "INTERFORCE_RELAY_POLL_SECONDS": "0.5",
        "INTERFORCE_SCHEDULER_INTERVAL_SECONDS": "1",
        "INTERFORCE_RECONCILE_INTERVAL_SECONDS": "0",
    }


async def run_demo(
    settings: Settings, *, keys: Path = TEST_KEYS, keep_running: bool = False
) -> int:
    """Play the demo; return 0 when every scenario ran and every invariant holds."""
    namespace = time.strftime("demo%Y%m%d%H%M%S")
    logs = (settings.services_dir / "demo" / namespace).resolve()
    logs.mkdir(parents=True, exist_ok=True)
    await _clear_earlier_demos(settings)
    nodes = _nodes(settings, namespace, keys, logs)
    started = time.monotonic()
    print(f"interforce demo: forces {', '.join(FORCES)} in namespace {namespace}; logs in {logs}")
    try:
        for node in nodes.values():
            node.start()
        for node in nodes.values():
            await asyncio.to_thread(node.wait_healthy)
        print(f"{len(nodes)} nodes up in {time.monotonic() - started:.1f}s")
        web_port = nodes[DASHBOARD_FORCE].env["INTERFORCE_WEB_PORT"]
        _add_demo_user(settings, namespace, keys)
        print(
            f"dashboard ({DASHBOARD_FORCE}): http://127.0.0.1:{web_port}/"
            f"  user {DEMO_USER}  password {DEMO_PASSWORD}"
        )
        return await _play(settings, namespace, nodes, keep_running, keys)
    finally:
        for node in nodes.values():
            node.stop()


async def _play(
    settings: Settings,
    namespace: str,
    nodes: dict[str, NodeProcess],
    keep_running: bool,
    keys: Path,
) -> int:
    pools = {
        force: await asyncpg.create_pool(
            database_url(settings.server_database_url, force_database_name(force, namespace)),
            min_size=1,
            max_size=3,
        )
        for force in FORCES
    }
    desks = {
        force: Coordinators(force, pool, outgoing_message, signer=_signer(keys, force))
        for force, pool in pools.items()
    }
    stage = Stage(desks, nodes, settings.kafka_bootstrap_servers, namespace)
    failures: list[str] = []
    try:
        for scenario in SCENARIOS + NEW_PATHS:
            try:
                await scenario(stage)
            except Exception as error:
                failures.append(f"{scenario.__name__}: {type(error).__name__}: {error}")
                stage.say(f"!!! {failures[-1]}")
        await settle(stage)
        table, disagreements = await ownership_table(stage)
        failures += disagreements + await invariant_failures(stage)
        print("\nOwner and epoch of every offender, as each force sees it:")
        for line in table:
            print("  " + line)
        _verdict(failures)
        if keep_running:
            print("\nthe nodes keep running; Ctrl-C stops them")
            await asyncio.Event().wait()
    finally:
        for pool in pools.values():
            await pool.close()
    return 1 if failures else 0


def _verdict(failures: list[str]) -> None:
    if failures:
        print("\nINVARIANTS FAILED:")
        for failure in failures:
            print(f"  - {failure}")
        return
    print(
        "\nEvery invariant holds: each offender has one owner and epoch in every force's view,"
        " every message was sent,\nthe only dead letter is the forged message, every"
        " force's audit chain is intact,\nand every path ended where it should (whereabouts"
        " unknown, request answered, commit chased,\nconflict resolved, managed by Police"
        " Scotland)."
    )


def _nodes(settings: Settings, namespace: str, keys: Path, logs: Path) -> dict[str, NodeProcess]:
    nodes = {}
    for force in FORCES:
        env = node_env(settings, namespace, force, keys)
        if force == DASHBOARD_FORCE:
            env["INTERFORCE_WEB_PORT"] = str(free_port())
        if force in SCHEDULER_PLAYED_BY_THE_DEMO:
            env["INTERFORCE_SCHEDULER_INTERVAL_SECONDS"] = "0"
        nodes[force] = NodeProcess(force, env, logs / f"{force.lower()}.log")
    return nodes


async def _clear_earlier_demos(settings: Settings) -> None:
    """Drop the databases and topics that earlier demo runs left behind."""
    connection = await asyncpg.connect(settings.server_database_url)
    try:
        names = await connection.fetch(
            "select datname from pg_database where datname ~ '^demo[0-9]{14}_[a-z]+$'"
        )
        for row in names:
            await connection.execute(f'drop database if exists "{row["datname"]}" with (force)')
    finally:
        await connection.close()
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, **client_options(settings)
    )
    await admin.start()
    try:
        stale = [t for t in await admin.list_topics() if re.match(r"^demo[0-9]{14}\.", t)]
        if stale:
            await admin.delete_topics(stale)
    finally:
        await admin.close()


def _signer(keys: Path, force: str) -> KeySigner:
    """The force's coordinators seal their audit rows with its (test) key, as its node does."""
    return KeySigner(load_signing_key(keys / f"{force.lower()}-2024.json"))


def _add_demo_user(settings: Settings, namespace: str, keys: Path) -> None:
    env = {
        "INTERFORCE_ENVIRONMENT": "development",  # it signs with a published test key
        "INTERFORCE_NAMESPACE": namespace,
        "INTERFORCE_DATABASE_NAMESPACE": namespace,
        "INTERFORCE_DATABASE_URL": settings.server_database_url,
        "INTERFORCE_SIGNING_KEY": str(keys / f"{DASHBOARD_FORCE.lower()}-2024.json"),
    }
    import os

    subprocess.run(
        [sys.executable, "-m", "interforce", "users", "add", DEMO_USER, "--role", "coordinator",
         "--name", "Demo Coordinator", "--password-stdin", "--force", DASHBOARD_FORCE],
        input=DEMO_PASSWORD + "\n", env={**os.environ, **env}, text=True,
        capture_output=True, check=True,
    )  # fmt: skip
