"""Small Kafka clients for the security tests: each connects, does one thing and closes."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.conn import create_conn
from aiokafka.errors import for_code
from aiokafka.protocol.metadata import MetadataRequest
from aiokafka.structs import ConsumerRecord, RecordMetadata

from interforce.kafka_clients import client_options
from interforce.settings import Settings

REQUEST_TIMEOUT_MS = 10_000


def _bootstrap(settings: Settings) -> str:
    return settings.kafka_bootstrap_servers


async def produce(settings: Settings, topic: str, key: bytes) -> RecordMetadata:
    """Send one record as the node's relay does (idempotent, acks=all) and wait for it."""
    producer = AIOKafkaProducer(
        bootstrap_servers=_bootstrap(settings), acks="all", enable_idempotence=True,
        request_timeout_ms=REQUEST_TIMEOUT_MS, **client_options(settings),
    )  # fmt: skip
    try:
        await producer.start()
        return await producer.send_and_wait(topic, b"{}", key=key)
    finally:
        await producer.stop()


async def consume_key(
    settings: Settings, topic: str, group: str, key: bytes, *, within: float = 15.0
) -> ConsumerRecord[bytes, bytes]:
    """Join `group` on `topic`, read until the record with `key` arrives, commit, leave."""
    consumer = AIOKafkaConsumer(
        topic, group_id=group, bootstrap_servers=_bootstrap(settings),
        auto_offset_reset="earliest", enable_auto_commit=False,
        request_timeout_ms=REQUEST_TIMEOUT_MS, **client_options(settings),
    )  # fmt: skip
    try:
        await consumer.start()
        async with asyncio.timeout(within):
            while True:
                batches = await consumer.getmany(timeout_ms=500)
                for record in (r for records in batches.values() for r in records):
                    if record.key == key:
                        await consumer.commit()
                        return record
    finally:
        await consumer.stop()


async def create_topic(settings: Settings, name: str) -> None:
    """Ask for a new topic; raise the broker's error for it, if any."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=_bootstrap(settings), request_timeout_ms=REQUEST_TIMEOUT_MS,
        **client_options(settings),
    )  # fmt: skip
    try:
        await admin.start()
        response = await admin.create_topics([NewTopic(name, 1, 1)])
    finally:
        await admin.close()
    for _name, code, *_ in response.topic_errors:
        if code:
            raise for_code(code)(name)


async def visible_topics(settings: Settings) -> set[str]:
    """The topics whose metadata this principal may see."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=_bootstrap(settings), request_timeout_ms=REQUEST_TIMEOUT_MS,
        **client_options(settings),
    )  # fmt: skip
    try:
        await admin.start()
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def ask_metadata(endpoint: str, options: dict[str, object]) -> None:
    """Open one connection (TLS and SASL as `options` say) and ask it for metadata."""
    host, port = endpoint.rsplit(":", 1)
    connection = await create_conn(
        host, int(port), request_timeout_ms=REQUEST_TIMEOUT_MS, **options
    )
    try:
        await connection.send(MetadataRequest([]))
    finally:
        connection.close()
