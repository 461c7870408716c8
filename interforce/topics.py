"""A node's topics: creating them, or checking they exist (their names: `schemas.topics`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

TOPIC_ALREADY_EXISTS = 36  # Kafka's error code: another node created it first


class TopicError(RuntimeError):
    """A topic the node needs could not be created, or does not exist."""


AUDIT_TOPIC_CONFIG = {"retention.ms": "-1", "cleanup.policy": "delete"}
"""Checkpoints are kept for ever: one a minute is about half a million records a year."""


async def ensure_topics(
    bootstrap: str,
    names: Iterable[str],
    *,
    partitions: int,
    replication_factor: int,
    client_options: dict[str, object] | None = None,
    config: dict[str, str] | None = None,
) -> list[str]:
    """Create every topic in `names` that does not exist yet (with `config`, if given);
    return those created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # only here: names need no client

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **(client_options or {}))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(names) - existing)
        if not missing:
            return []
        response = await admin.create_topics(
            [
                NewTopic(name, partitions, replication_factor, topic_configs=config or {})
                for name in missing
            ]
        )
        failures = [
            f"{topic}: error {code} {message or ''}".strip()
            for topic, code, *rest in response.topic_errors
            for message in [rest[0] if rest else None]
            if code not in (0, TOPIC_ALREADY_EXISTS)
        ]
        if failures:
            raise TopicError("could not create " + "; ".join(failures))
        await _until_listed(admin, missing)
        return missing
    finally:
        await admin.close()


async def _until_listed(admin: Any, names: list[str], within: float = 30.0) -> None:
    """Wait until the cluster's metadata lists every topic in `names`: a broker answers
    CreateTopics before its metadata shows them, and a client that asks at once would not
    find them. Raise `TopicError` naming those still missing after `within` seconds."""
    deadline = time.monotonic() + within
    while missing := sorted(set(names) - set(await admin.list_topics())):
        if time.monotonic() > deadline:
            raise TopicError(f"created but not listed after {within:.0f}s: {', '.join(missing)}")
        await asyncio.sleep(0.1)


async def require_topics(
    bootstrap: str, names: Iterable[str], *, client_options: dict[str, object] | None = None
) -> None:
    """Raise `TopicError` naming every topic in `names` that the cluster does not have."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **(client_options or {}))
    await admin.start()
    try:
        missing = sorted(set(names) - set(await admin.list_topics()))
    finally:
        await admin.close()
    if missing:
        raise TopicError(
            f"missing topics {', '.join(missing)}: ask the Kafka administrators to create them"
            " (`interforce acl plan` lists what each force needs)"
        )
