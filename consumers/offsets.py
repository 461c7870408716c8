"""Consumed offsets kept in PostgreSQL, committed in the same transaction as their effects.

On assignment the consumer seeks each partition to the offset stored here, so what the
database holds and where reading resumes can never disagree, whatever Kafka's own
committed offsets say.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from ownership.adapters.db import Connection


async def stored_offsets(
    connection: Connection | asyncpg.Pool, topic: str, partitions: Iterable[int]
) -> dict[int, int]:
    """The next offset to read for each partition that has one stored."""
    rows = await connection.fetch(
        "select partition, next_offset from consumed_offsets"
        " where topic = $1 and partition = any($2::int[])",
        topic,
        list(partitions),
    )
    return {row["partition"]: row["next_offset"] for row in rows}


async def store_offset(
    connection: Connection, topic: str, partition: int, next_offset: int
) -> None:
    """Advance a partition's stored offset; never move it backwards."""
    await connection.execute(
        "insert into consumed_offsets (topic, partition, next_offset) values ($1, $2, $3)"
        " on conflict (topic, partition) do update"
        " set next_offset = greatest(consumed_offsets.next_offset, excluded.next_offset),"
        " updated_at = now()",
        topic,
        partition,
        next_offset,
    )
