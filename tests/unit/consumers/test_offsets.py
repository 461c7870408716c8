"""Stored offsets: locked in order, created at 0, never moved backwards, read per partition."""

from __future__ import annotations

from consumers.offsets import lock_offsets, store_offsets, stored_offsets
from tests.support.standins import TOPIC

from .memory_database import MemoryPool

OTHER = "interforce.gmp.inbox"


async def test_a_partition_never_seen_is_locked_at_offset_zero_in_order() -> None:
    pool = MemoryPool()
    pool.tables.offsets[(TOPIC, 1)] = 5
    locked = await lock_offsets(pool.as_connection(), [(TOPIC, 1), (OTHER, 0), (TOPIC, 0)])
    assert locked == {(TOPIC, 1): 5, (OTHER, 0): 0, (TOPIC, 0): 0}


async def test_stored_offsets_advance_and_never_go_back() -> None:
    pool = MemoryPool()
    await store_offsets(pool.as_connection(), {(TOPIC, 1): 4, (TOPIC, 0): 9})
    await store_offsets(pool.as_connection(), {(TOPIC, 1): 2, (TOPIC, 0): 10})
    assert pool.tables.offsets == {(TOPIC, 0): 10, (TOPIC, 1): 4}


async def test_only_the_partitions_asked_for_are_read() -> None:
    pool = MemoryPool()
    pool.tables.offsets.update({(TOPIC, 0): 3, (TOPIC, 1): 4, (TOPIC, 2): 5, (OTHER, 0): 6})
    assert await stored_offsets(pool.as_pool(), TOPIC, [0, 2, 7]) == {0: 3, 2: 5}
