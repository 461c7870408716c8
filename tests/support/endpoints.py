"""Find a real Kafka broker and PostgreSQL server for the tests, or fail saying how."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import subprocess
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from interforce.settings import Settings
from tooling.services.errors import ServiceError
from tooling.services.kafka import LocalKafka
from tooling.services.postgres import PostgresServer
from tooling.services.probes import kafka_answers, postgres_answers
from tooling.services.progress import PrintProgress

T = TypeVar("T")

HOW_TO_START = (
    "start the services with `make services` (or `.venv/bin/interforce services up`), "
    "or point the tests at running ones with INTERFORCE_KAFKA_BOOTSTRAP and "
    "INTERFORCE_DATABASE_URL"
)


def docker_engine_answers() -> bool:
    """True when a Docker engine (not just the client) is reachable."""
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@contextlib.contextmanager
def resolve_kafka() -> Iterator[str]:
    """Configured endpoint, else a testcontainer, else the native broker."""
    configured = os.environ.get("INTERFORCE_KAFKA_BOOTSTRAP")
    if configured:
        _require(_run(kafka_answers(configured)), "Kafka", configured)
        yield configured
    elif docker_engine_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("apache/kafka:4.1.1").with_kraft() as container:
            yield str(container.get_bootstrap_server())
    else:
        broker = LocalKafka(Settings())
        _bring_up(broker)
        yield broker.endpoint


@contextlib.contextmanager
def resolve_database() -> Iterator[str]:
    """Configured URL, else a testcontainer, else the native server."""
    configured = os.environ.get("INTERFORCE_DATABASE_URL")
    if configured:
        _require(_run(postgres_answers(configured)), "PostgreSQL", configured)
        yield configured
    elif docker_engine_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:18", driver=None) as container:
            yield str(container.get_connection_url())
    else:
        server = PostgresServer(Settings())
        _bring_up(server)
        yield server.url


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _bring_up(service: LocalKafka | PostgresServer) -> None:
    try:
        _run(service.up(PrintProgress()))
    except ServiceError as error:
        pytest.fail(f"{service.name} is not available: {error}\nTo fix: {HOW_TO_START}")


def _require(answers: bool, name: str, endpoint: str) -> None:
    if not answers:
        pytest.fail(
            f"{name} at the configured endpoint {endpoint} does not answer.\nTo fix: {HOW_TO_START}"
        )
