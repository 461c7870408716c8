"""The outbox relay: claim unsent rows, sign and publish them in a batch, mark them sent.

One relay per force is active at a time (a PostgreSQL advisory lock elects it), so rows
leave in the order they were written and each offender's messages stay in order. It wakes
on the outbox trigger's NOTIFY and also polls, so a missed notification only delays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.transient import is_transient
from producers.disclosure import Disclosure
from producers.outbox_rows import OutboxRow

log = logging.getLogger(__name__)

RELAY_LOCK_KEY = 0x1F0C_E000_0003
NOTIFY_CHANNEL = "interforce_outbox"


@dataclass(frozen=True)
class Sent:
    """An outbox row the broker acknowledged, with what it disclosed to its recipient."""

    row: OutboxRow
    disclosure: Disclosure | None = None
    """The fields sent and withheld, on which lawful basis; None if nothing was recorded."""


@dataclass(frozen=True)
class Unsendable:
    """An outbox row that no retry will send; it is set aside and raised to coordinators."""

    row: OutboxRow
    reason: str


Published = Sent | Unsendable

Publish = Callable[[Sequence[OutboxRow]], Awaitable[Sequence[Published]]]
"""Signs and sends every row it can; returns once the broker acknowledged them all, with one
outcome per row: `Sent` (and what it disclosed), or `Unsendable` (unknown recipient, no
version it can read) and why."""


class PublisherAnswerError(RuntimeError):
    """The publisher did not answer for every row of the batch exactly once."""


class OutboxRelay:
    """Moves committed outbox rows to Kafka for one force's node."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        publish: Publish,
        *,
        actor: str,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        signer: AuditSigner | None = None,
    ) -> None:
        self._pool = pool
        self._signer = signer  # seals each batch's audit entries with the force's key
        self._publish = publish
        self._actor = actor
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._clock = clock
        self._wake = asyncio.Event()
        self.sent_total = 0

    async def relay_once(self) -> int:
        """Send one batch of unsent rows; return how many were sent."""
        async with self._pool.acquire() as connection, connection.transaction():
            records = await connection.fetch(
                "select * from outbox where sent_at is null and failure is null order by id"
                " limit $1 for update skip locked",
                self._batch_size,
            )
            if not records:
                return 0
            rows = [OutboxRow.from_record(record) for record in records]
            outcomes = _answered(rows, await self._publish(rows))
            sent = [item for item in outcomes if isinstance(item, Sent)]
            unsendable = [item for item in outcomes if isinstance(item, Unsendable)]
            await connection.execute(
                "update outbox set sent_at = now() where id = any($1::bigint[])",
                [item.row.id for item in sent],
            )
            await connection.executemany(
                "update outbox set failure = $2 where id = $1",
                [(item.row.id, item.reason) for item in unsendable],
            )
            entries = [self._sent_entry(item) for item in sent]
            entries += [self._failed_entry(item) for item in unsendable]
            await append_entries(connection, entries, signer=self._signer)
        for item in unsendable:
            log.error("outbox row %s can never be sent: %s", item.row.message_id, item.reason)
        self.sent_total += len(sent)
        recipients = sorted({item.row.recipient for item in sent})
        log.info("relayed %d messages to %s", len(sent), ", ".join(recipients) or "nobody")
        return len(rows)

    async def drain(self) -> int:
        """Send batches until the outbox is empty; return how many were sent."""
        total = 0
        while (sent := await self.relay_once()) > 0:
            total += sent
        return total

    async def run(self, stopping: asyncio.Event) -> None:
        """Relay until `stopping` is set, retrying through database and broker faults."""
        while not stopping.is_set():
            try:
                await self._run_as_leader(stopping)
            except Exception as error:
                if not is_transient(error):
                    raise
                log.warning("outbox relay interrupted by a transient fault, resuming: %r", error)
                await _sleep_or_stop(stopping, self._poll_seconds)

    async def prune(self, older_than: timedelta) -> int:
        """Delete rows sent more than `older_than` ago; return how many."""
        result = await self._pool.execute(
            "delete from outbox where sent_at < $1", self._clock() - older_than
        )
        return int(result.split()[-1])

    async def _run_as_leader(self, stopping: asyncio.Event) -> None:
        async with self._pool.acquire() as leader:
            while not await leader.fetchval("select pg_try_advisory_lock($1)", RELAY_LOCK_KEY):
                if await _sleep_or_stop(stopping, self._poll_seconds):
                    return
            await leader.add_listener(NOTIFY_CHANNEL, self._on_notify)
            try:
                log.info("outbox relay is active for %s", self._actor)
                while not stopping.is_set():
                    self._wake.clear()
                    await self.drain()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            _first(self._wake, stopping), timeout=self._poll_seconds
                        )
            finally:
                with contextlib.suppress(Exception):
                    await leader.remove_listener(NOTIFY_CHANNEL, self._on_notify)
                    await leader.execute("select pg_advisory_unlock($1)", RELAY_LOCK_KEY)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    def _failed_entry(self, item: Unsendable) -> AuditEntry:
        return AuditEntry(
            actor=self._actor,
            action="message.unsendable",
            at=self._clock(),
            subject=item.row.offender_reference,
            reason=item.reason,
            disclosed_to=None,
            detail={"message_id": item.row.message_id, "recipient": item.row.recipient},
        )

    def _sent_entry(self, item: Sent) -> AuditEntry:
        """To whom, and (as the publisher answered) which fields on which lawful basis."""
        row = item.row
        detail = {"message_id": row.message_id, "transfer_id": row.transfer_id}
        if item.disclosure is not None:
            detail |= item.disclosure.audit_detail()
        return AuditEntry(
            actor=self._actor,
            action="message.sent",
            at=self._clock(),
            subject=row.offender_reference,
            reason=row.message_type,
            disclosed_to=row.recipient,
            detail=detail,
        )


def _answered(rows: Sequence[OutboxRow], outcomes: Sequence[Published]) -> Sequence[Published]:
    """The publisher's outcomes, checked to answer for each row of the batch exactly once."""
    if sorted(item.row.id for item in outcomes) != sorted(row.id for row in rows):
        msg = f"the publisher gave {len(outcomes)} outcomes for a batch of {len(rows)} rows"
        raise PublisherAnswerError(msg + ", not one for each")
    return outcomes


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _sleep_or_stop(stopping: asyncio.Event, seconds: float) -> bool:
    """Sleep, waking early if stopping; True when stopping."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), timeout=seconds)
    return stopping.is_set()
