"""A Kafka broker and a PostgreSQL server of the fault tests' own, free to stop and restart.

They run from the native launcher on ports and a folder of their own, so stopping them never
disturbs the services the rest of the suite shares.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from interforce.settings import Settings
from tooling.services.kafka import LocalKafka
from tooling.services.postgres import PostgresServer
from tooling.services.process import free_port
from tooling.services.progress import PrintProgress


@dataclass
class OwnServices:
    """The fault tests' broker and database server, with the means to stop and start them."""

    kafka: LocalKafka
    postgres: PostgresServer

    @property
    def kafka_bootstrap(self) -> str:
        return self.kafka.endpoint

    @property
    def postgres_url(self) -> str:
        return self.postgres.url

    async def restart_kafka(self, down_for: float) -> None:
        await asyncio.to_thread(self.kafka.down, PrintProgress())
        await asyncio.sleep(down_for)
        await self.kafka.up(PrintProgress())

    async def restart_postgres(self, down_for: float) -> None:
        await asyncio.to_thread(self.postgres.down, PrintProgress())
        await asyncio.sleep(down_for)
        await self.postgres.up(PrintProgress())


@pytest.fixture(scope="package")
def own_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnServices]:
    folder: Path = tmp_path_factory.mktemp("fault-services")
    settings = Settings(
        services_dir=folder,
        kafka_port=free_port(),
        kafka_controller_port=free_port(),
        postgres_port=free_port(),
        kafka_heap="384m",
    )
    services = OwnServices(LocalKafka(settings), PostgresServer(settings))
    asyncio.run(services.kafka.up(PrintProgress()))
    asyncio.run(services.postgres.up(PrintProgress()))
    yield services
    services.kafka.down(PrintProgress())
    services.postgres.down(PrintProgress())
