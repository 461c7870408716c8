"""Session-wide access to a real Kafka broker and a real PostgreSQL server.

Each is taken, in order, from the configured endpoint (`INTERFORCE_KAFKA_BOOTSTRAP`,
`INTERFORCE_DATABASE_URL`), from testcontainers when a Docker engine answers, or from the
native launcher (`interforce services up`). A service that cannot be had fails the test
that needs it, saying how to start it; nothing is skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from interforce.database import ensure_database
from interforce.settings import Settings
from tests.support.databases import drop_database
from tests.support.endpoints import resolve_database, resolve_kafka
from tooling.services.errors import ServiceError
from tooling.services.progress import PrintProgress
from tooling.services.secure_kafka import LocalSecureKafka


def pytest_configure(config: pytest.Config) -> None:
    """Development mode for the whole session, and for every node process it starts.

    The tests sign with the keys in `tests/keys`, whose private halves are public, and use
    the packaged directory; outside development mode a node refuses both.
    """
    os.environ["INTERFORCE_ENVIRONMENT"] = "development"


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a real, answering Kafka broker."""
    with resolve_kafka() as bootstrap:
        yield bootstrap


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a real, answering PostgreSQL server's maintenance database."""
    with resolve_database() as url:
        yield url


@pytest_asyncio.fixture
async def fresh_database(postgres_url: str) -> AsyncIterator[str]:
    """URL of a new, empty database of its own for one test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    yield await ensure_database(postgres_url, name)
    await drop_database(postgres_url, name)


@pytest_asyncio.fixture(scope="session")
async def secure_broker() -> LocalSecureKafka:
    """The secure broker (TLS + SASL + ACLs), with its credentials, ACLs and topics applied."""
    broker = LocalSecureKafka(Settings())
    try:
        await broker.up(PrintProgress())
    except ServiceError as error:
        pytest.fail(
            f"the secure Kafka broker is not available: {error}\n"
            "To fix: run `.venv/bin/interforce services up --secure` and read its log"
        )
    return broker


def pytest_report_header() -> list[str]:
    return [
        "services: "
        + ", ".join(
            f"{variable}={os.environ.get(variable, '(native launcher)')}"
            for variable in ("INTERFORCE_KAFKA_BOOTSTRAP", "INTERFORCE_DATABASE_URL")
        )
    ]
