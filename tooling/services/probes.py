"""Does a service really answer? Used by the launcher, `services status` and the tests."""

from __future__ import annotations

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient


async def kafka_answers(bootstrap: str, **client_options: object) -> bool:
    """True when a broker at `bootstrap` answers a metadata request."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        request_timeout_ms=5000,
        **client_options,
    )
    try:
        await admin.start()
        await admin.describe_cluster()
    except Exception:
        return False
    finally:
        await admin.close()
    return True


async def postgres_answers(url: str) -> bool:
    """True when the server at `url` answers `select 1`."""
    try:
        connection = await asyncpg.connect(url, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    try:
        return bool(await connection.fetchval("select 1") == 1)
    finally:
        await connection.close()
