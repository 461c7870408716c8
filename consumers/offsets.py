"""Consumed offsets kept in PostgreSQL, committed in the same transaction as their effects.

On assignment the consumer seeks each partition to the offset stored here, so what the
database holds and where reading resumes can never disagree, whatever Kafka's own
committed offsets say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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


async def lock_offsets(
    connection: Connection, partitions: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    """Lock each partition's stored offset row for this transaction and return its value.

    A partition with no row yet gets one at 0. Rows are locked in (topic, partition) order,
    so two consumers of overlapping partitions take turns rather than deadlock.
    """
    ordered = sorted(partitions)
    rows = await connection.fetch(
        "insert into consumed_offsets (topic, partition, next_offset)"
        " select topic, partition, 0 from unnest($1::text[], $2::int[]) as p (topic, partition)"
        " on conflict (topic, partition) do update set next_offset = consumed_offsets.next_offset"
        " returning topic, partition, next_offset",
        [topic for topic, _ in ordered],
        [partition for _, partition in ordered],
    )
    return {(row["topic"], row["partition"]): row["next_offset"] for row in rows}


async def store_offsets(
    connection: Connection, next_offsets: Mapping[tuple[str, int], int]
) -> None:
    """Advance each partition's stored offset; never move one backwards."""
    ordered = sorted(next_offsets.items())
    await connection.execute(
        "insert into consumed_offsets (topic, partition, next_offset)"
        " select * from unnest($1::text[], $2::int[], $3::bigint[])"
        " on conflict (topic, partition) do update"
        " set next_offset = greatest(consumed_offsets.next_offset, excluded.next_offset),"
        " updated_at = now()",
        [topic for (topic, _), _ in ordered],
        [partition for (_, partition), _ in ordered],
        [offset for _, offset in ordered],
    )
