"""The set-up the figures were measured on: machine, Python, Kafka, PostgreSQL, fsync rate."""

from __future__ import annotations

import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg

from tooling.bench.context import BenchContext

PG_SETTINGS = (
    "synchronous_commit", "fsync", "wal_sync_method", "full_page_writes", "commit_delay",
    "shared_buffers", "wal_level", "max_connections",
)  # fmt: skip


async def describe_setup(context: BenchContext) -> dict[str, Any]:
    """Cores, Python, the services' versions and settings, and this disk's fsync rate."""
    settings = context.settings
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "kafka": {
            "version": _kafka_version(settings.services_dir),
            "bootstrap": context.bootstrap,
            "producer": "acks=all, enable_idempotence=true",
            "topic_partitions": settings.kafka_topic_partitions,
            "replication_factor": settings.kafka_replication_factor,
        },
        "postgresql": await _postgres(context.server_url),
        "fsync_per_s": fsync_rate(settings.services_dir, context.sizes.fsync_seconds),
    }


def _kafka_version(services_dir: Path) -> str:
    libs = services_dir / "kafka" / "libs"
    jars = sorted(libs.glob("kafka_2.13-*.jar")) if libs.is_dir() else []
    if not jars:
        return "unknown (not the local broker of `services up`)"
    return jars[-1].name.removeprefix("kafka_2.13-").removesuffix(".jar")


async def _postgres(url: str) -> dict[str, Any]:
    connection = await asyncpg.connect(url)
    try:
        version = await connection.fetchval("show server_version")
        values = {name: await connection.fetchval(f"show {name}") for name in PG_SETTINGS}
    finally:
        await connection.close()
    return {"version": version, **values}


def fsync_rate(near: Path, seconds: float) -> float:
    """8 KB writes each followed by `fdatasync`, per second, as `pg_test_fsync` measures them.

    The file goes beside the services' data (the same disk as PostgreSQL's WAL when the local
    services run here), else in the temporary folder.
    """
    folder = near if near.is_dir() else Path(tempfile.gettempdir())
    block = os.urandom(8192)
    with tempfile.NamedTemporaryFile(dir=folder, prefix="fsync-probe-") as probe:
        descriptor, count = probe.fileno(), 0
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            os.pwrite(descriptor, block, 0)
            os.fdatasync(descriptor)
            count += 1
        return round(count / (time.perf_counter() - started), 1)
