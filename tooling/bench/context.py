"""What every measurement of one bench run shares: settings, sizes, keys and a namespace."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from interforce.database import ensure_database
from interforce.kafka_clients import client_options
from interforce.settings import Settings
from interforce.topics import ensure_topics
from ownership.adapters.migrator import migrate
from schemas.directory import ForceDirectory, load_directory
from schemas.schema_set import SchemaSet


@dataclass(frozen=True)
class Sizes:
    """How much each measurement does; `--quick` shrinks them all."""

    runs: int
    kafka_messages: int
    asyncpg_messages: int
    drain_messages: int
    offered_loads: tuple[int, ...]
    offered_seconds: float
    saturation_messages: int
    stage_messages: int
    records: int
    federation_forces: int
    federation_transfers: int
    fsync_seconds: float
    cli_runs: int

    @classmethod
    def quick(cls) -> Sizes:
        return cls(3, 1000, 300, 600, (200,), 2.0, 600, 200, 0, 6, 24, 0.5, 5)

    @classmethod
    def full(cls) -> Sizes:
        return cls(
            3, 10000, 2000, 10000, (200, 500, 1000, 2000), 8.0, 10000, 1000, 100_000, 44, 10_000,
            2.0, 10,
        )  # fmt: skip


@dataclass
class BenchContext:
    """One bench invocation: where the services are and which names are its own."""

    settings: Settings
    sizes: Sizes
    keys: Path
    prefix: str = field(default_factory=lambda: f"ifb{uuid.uuid4().hex[:6]}")
    directory: ForceDirectory = field(default_factory=load_directory)
    schemas: SchemaSet = field(default_factory=SchemaSet.load)
    _made: int = 0
    databases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def namespace(self, purpose: str) -> str:
        """A fresh namespace of this bench's own for one measurement."""
        self._made += 1
        return f"{self.prefix}_{purpose}{self._made}"

    @property
    def bootstrap(self) -> str:
        return self.settings.kafka_bootstrap_servers

    @property
    def server_url(self) -> str:
        return self.settings.server_database_url

    def kafka_options(self) -> dict[str, object]:
        return client_options(self.settings)

    async def database(self, name: str) -> str:
        """Create a migrated database of the bench's own; return its URL."""
        url = await ensure_database(self.server_url, name)
        self.databases.append(name)
        connection = await asyncpg.connect(url)
        try:
            await migrate(connection)
        finally:
            await connection.close()
        return url

    async def topics_for(self, names: list[str], partitions: int | None = None) -> None:
        """Create topics of the bench's own."""
        await ensure_topics(
            self.bootstrap,
            names,
            partitions=partitions or self.settings.kafka_topic_partitions,
            replication_factor=self.settings.kafka_replication_factor,
            client_options=self.kafka_options(),
        )
        self.topics.extend(names)

    async def clean_up(self) -> None:
        """Drop every database and delete every topic this bench made."""
        connection = await asyncpg.connect(self.server_url)
        try:
            for name in self.databases:
                with contextlib.suppress(asyncpg.PostgresError):
                    await connection.execute(f'drop database if exists "{name}" with (force)')
        finally:
            await connection.close()
        self.databases.clear()
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, **self.kafka_options())
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            ours = [t for t in existing if t.startswith(f"{self.prefix}_")]
            if ours:
                with contextlib.suppress(Exception):
                    await admin.delete_topics(ours)
        finally:
            await admin.close()
        self.topics.clear()
