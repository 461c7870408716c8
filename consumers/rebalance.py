"""On every assignment, resume each partition where the database says it stopped.

Kafka's committed offsets are only a courtesy (for lag monitoring); the offsets stored with
the effects decide. A partition with no stored offset is read from its beginning: the inbox
table turns anything already applied into a no-op.

aiokafka starts fetching newly assigned partitions from Kafka's committed offsets while this
listener is still reading the database, and the subscriber's poll may hand those records on
before the seek: so the partitions are paused first, and resumed once sought.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import asyncpg
from aiokafka import ConsumerRebalanceListener, TopicPartition

from consumers.offsets import stored_offsets

log = logging.getLogger(__name__)


class SeekToStoredOffsets(ConsumerRebalanceListener):  # type: ignore[misc]
    """Seeks newly assigned partitions to their stored offsets."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._consumer: Callable[[], Any] = lambda: None
        self._assigning = False

    @property
    def assigning(self) -> bool:
        """True while newly assigned partitions are paused to be sought."""
        return self._assigning

    def attach(self, consumer: Callable[[], Any]) -> None:
        """Give the listener the consumer it seeks on (built after the listener)."""
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        log.info("partitions revoked: %s", sorted((tp.topic, tp.partition) for tp in revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        consumer = self._consumer()
        if consumer is None or not assigned:
            return
        consumer.pause(*assigned)  # nothing is handed on before it is sought
        self._assigning = True
        try:
            by_topic: dict[str, list[TopicPartition]] = defaultdict(list)
            for tp in assigned:
                by_topic[tp.topic].append(tp)
            for topic, partitions in by_topic.items():
                stored = await stored_offsets(
                    self._pool, topic, [tp.partition for tp in partitions]
                )
                for tp in partitions:
                    if tp.partition in stored:
                        consumer.seek(tp, stored[tp.partition])
                    else:
                        await consumer.seek_to_beginning(tp)
                log.info(
                    "partitions assigned on %s, resuming at %s", topic, stored or "the beginning"
                )
        finally:
            self._assigning = False
            consumer.resume(*assigned)
