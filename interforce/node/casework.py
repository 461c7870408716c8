"""Run a coordinator's or officer's command against this force's database.

The CLI and the dashboard come through here: the command runs through the message bus in a
PostgreSQL unit of work, so its state change, its outgoing messages (outbox) and its audit
entries commit together, and the running node's relay sends the messages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random

from interforce.node.casework_input import refuse_unfit_input
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.outbox import EventTranslator
from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.domain.commands import Command
from ownership.domain.events import Event
from ownership.service_layer.messagebus import message_bus
from ownership.service_layer.unit_of_work import ConcurrentUpdateError


async def execute(
    pool: asyncpg.Pool,
    command: Command,
    *,
    force: str,
    actor: str,
    reason: str | None,
    translate: EventTranslator,
    signer: AuditSigner | None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[Event]:
    """Handle one local command; retry if the record changed underneath; return its events.

    `signer` seals its audit entries (None only where no key is configured: see `audit_log`).
    A reference or a text that no message could carry is refused before anything is written.
    """
    refuse_unfit_input(command)
    events: list[Event] = []
    retrying = AsyncRetrying(
        retry=retry_if_exception_type(ConcurrentUpdateError),
        stop=stop_after_attempt(5),
        wait=wait_random(0.01, 0.2),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            async with pool.acquire() as connection:
                uow = PostgresUnitOfWork(
                    connection,
                    force=force,
                    actor=actor,
                    translate=translate,
                    reason=reason,
                    clock=clock,
                    signer=signer,
                )
                events = await message_bus(uow).handle(command)
    return events
