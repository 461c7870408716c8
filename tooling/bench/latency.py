"""When each message's effects became visible: a NOTIFY sent as the receiver's transaction commits.

A statement trigger on the node's `inbox` (installed by the bench in its own database only)
notifies the ids of the rows each transaction inserted; PostgreSQL delivers notifications at
commit, so the time the bench hears one is the time that message's record was committed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

import asyncpg

CHANNEL = "interforce_bench_inbox"

INSTALL = """
create or replace function bench_inbox_committed() returns trigger
language plpgsql as $$
declare
    chunk text;
begin
    for chunk in
        select string_agg(message_id, ',') from (
            select message_id, (row_number() over ()) / 150 as part from fresh
        ) numbered group by part
    loop
        perform pg_notify('interforce_bench_inbox', chunk);
    end loop;
    return null;
end;
$$;
create or replace trigger bench_inbox_committed
    after insert on inbox referencing new table as fresh
    for each statement execute function bench_inbox_committed();
"""


class CommitWatch:
    """Hears commits of inbox rows and keeps the wall time each message id was first seen."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self._connection: asyncpg.Connection | None = None
        self._arrived = asyncio.Event()

    async def start(self, url: str) -> None:
        self._connection = connection = await asyncpg.connect(url)
        await connection.execute(INSTALL)
        await connection.add_listener(CHANNEL, self._heard)

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: object) -> None:
        now = time.time()
        for message_id in str(payload).split(","):
            self.seen.setdefault(message_id, now)
        self._arrived.set()

    async def wait_for(self, ids: Iterable[str], within: float) -> bool:
        """Wait until every id has been seen; False if `within` seconds pass first."""
        wanted = set(ids)
        deadline = time.monotonic() + within
        while not wanted <= self.seen.keys():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=min(remaining, 0.5))
            except TimeoutError:
                continue
        return True

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
