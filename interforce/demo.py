"""`make demo`: a message crosses from one force's node to another force's inbox topic.

This first demo sends one unsigned test message; the federation demo with signed
messages and real transfers replaces it once the node exists.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from interforce.kafka_clients import broker_security, client_options
from interforce.settings import Settings
from interforce.topics import ensure_topics, inbox_topic

SENDER, RECIPIENT = "WMP", "WMY"


async def run_demo(settings: Settings, wait_seconds: float = 60.0) -> dict[str, object]:
    """Send one test message from SENDER to RECIPIENT's inbox and return what arrived."""
    bootstrap = settings.kafka_bootstrap_servers
    topics = [inbox_topic(SENDER), inbox_topic(RECIPIENT)]
    await ensure_topics(
        bootstrap,
        topics,
        partitions=settings.kafka_topic_partitions,
        replication_factor=settings.kafka_replication_factor,
        client_options=client_options(settings),
    )
    message_id = str(uuid.uuid4())
    arrived: asyncio.Future[dict[str, object]] = asyncio.get_running_loop().create_future()
    broker = KafkaBroker(bootstrap, security=broker_security(settings), logger=None)

    @broker.subscriber(
        inbox_topic(RECIPIENT), group_id=f"demo-{message_id}", auto_offset_reset="earliest"
    )
    async def recipient_inbox(body: dict[str, object], message: KafkaMessage) -> None:
        if body.get("id") == message_id and not arrived.done():
            arrived.set_result({**body, "partition": message.raw_message.partition})  # type: ignore[union-attr]

    async with broker:
        await broker.start()
        sent = {
            "id": message_id,
            "type": "uk.police.interforce.demo.hello",
            "source": SENDER,
            "recipient": RECIPIENT,
            "subject": "DEMO-0001",
            "time": datetime.now(UTC).isoformat(),
            "data": {"text": "test message: no offender data"},
        }
        print(f"{SENDER} → {inbox_topic(RECIPIENT)}: {json.dumps(sent)}")
        await broker.publish(sent, inbox_topic(RECIPIENT), key=b"DEMO-0001")
        received = await asyncio.wait_for(arrived, wait_seconds)
    print(f"{RECIPIENT} received from {received['source']}: {json.dumps(received)}")
    return received
