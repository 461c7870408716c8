"""The node's checkpoints: sign the audit log's head, keep it in the database and on the topic.

At start, every `INTERFORCE_AUDIT_CHECKPOINT_SECONDS` while the head moves, and at clean
shutdown. The database copy is written first; a checkpoint the broker did not take stays in
the database only (logged), and the next one goes to both. Rows deleted from the log's end
after the last checkpoint on the topic are the window `audit verify` cannot see into.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg

from ownership.adapters.audit_checkpoints import write_checkpoint
from ownership.adapters.audit_log import audit_head
from ownership.adapters.audit_signing import AuditSigner, Checkpoint

log = logging.getLogger(__name__)

Publish = Callable[[Checkpoint], Awaitable[None]]
PUBLISH_TIMEOUT_SECONDS = 15.0  # a broker away must not hold a shutdown up for long


class AuditCheckpointer:
    """Writes signed checkpoints of one force's audit log."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        signer: AuditSigner,
        publish: Publish,
        *,
        interval: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._pool = pool
        self._signer = signer
        self._publish = publish
        self._interval = interval
        self._clock = clock
        self._last: Checkpoint | None = None

    async def checkpoint(self) -> Checkpoint:
        """Sign the head now (unless it is the one this node signed last), store, publish."""
        async with self._pool.acquire() as connection:
            last = self._last
            if last is not None and await audit_head(connection) == (last.length, last.head_hash):
                return last
            checkpoint = await write_checkpoint(connection, self._signer, self._clock())
        self._last = checkpoint
        try:
            await asyncio.wait_for(self._publish(checkpoint), PUBLISH_TIMEOUT_SECONDS)
        except Exception as error:
            log.warning(
                "audit checkpoint of length %d is in the database but not on the topic: %r",
                checkpoint.length,
                error,
            )
        else:
            log.info("audit checkpoint: length %d", checkpoint.length)
        return checkpoint

    async def run(self, stopping: asyncio.Event) -> None:
        """Checkpoint every interval until `stopping` is set (not at all if the interval is 0)."""
        while self._interval > 0 and not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self._interval)
                return
            await self.checkpoint_or_log()

    async def checkpoint_or_log(self) -> None:
        """`checkpoint`, logging (never raising) when the database is away."""
        try:
            await self.checkpoint()
        except Exception as error:  # the database away: as transient as the inbox finds it
            log.warning("audit checkpoint failed (%r); the next one will try again", error)
