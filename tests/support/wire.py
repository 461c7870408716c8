"""Reading a topic's raw records back with a plain aiokafka consumer, as an outsider sees them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


@dataclass(frozen=True)
class WireRecord:
    """One record as it sits on the topic: its bytes and headers."""

    value: bytes
    headers: dict[str, bytes]


async def read_topic(
    bootstrap: str, topic: str, at_least: int, within: float = 60.0
) -> list[WireRecord]:
    """Every record from the beginning, once at least `at_least` are there and none more come."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[WireRecord] = []
    try:
        async with asyncio.timeout(within):
            while True:
                batch = await consumer.getmany(timeout_ms=1000)
                records = [record for part in batch.values() for record in part]
                found.extend(
                    WireRecord(r.value or b"", {k: bytes(v) for k, v in r.headers}) for r in records
                )
                if not records and len(found) >= at_least:
                    return found
    finally:
        await consumer.stop()


async def produce(bootstrap: str, topic: str, raw: bytes, key: bytes) -> None:
    """Put one message straight onto a topic, bypassing every node."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, raw, key=key)
    finally:
        await producer.stop()
