"""Which faults are worth retrying: the database or the broker being away for a while."""

from __future__ import annotations

import asyncio

import asyncpg
from aiokafka import errors as kafka_errors

from ownership.service_layer.unit_of_work import ConcurrentUpdateError

_TRANSIENT_POSTGRES = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.TooManyConnectionsError,
)


def is_transient(error: BaseException) -> bool:
    """True for faults that go away by themselves, so the work is retried, never dropped."""
    if isinstance(error, (*_TRANSIENT_POSTGRES, ConcurrentUpdateError)):
        return True
    if isinstance(error, OSError | ConnectionError | asyncio.TimeoutError):
        return True
    if isinstance(error, kafka_errors.KafkaError):
        return bool(getattr(error, "retriable", False)) or isinstance(
            error,
            kafka_errors.KafkaConnectionError | kafka_errors.KafkaTimeoutError,
        )
    return False
