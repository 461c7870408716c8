"""The topics of a federation: their names, and creating them idempotently."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError


def inbox_topic(force: str, namespace: str = "interforce") -> str:
    """A force's inbox topic, e.g. `interforce.wmp.inbox`."""
    return f"{namespace}.{force.lower()}.inbox"


def dead_letter_topic(force: str, namespace: str = "interforce") -> str:
    """A force's dead-letter topic, e.g. `interforce.wmp.dlq`."""
    return f"{namespace}.{force.lower()}.dlq"


async def ensure_topics(
    bootstrap: str,
    names: Iterable[str],
    *,
    partitions: int,
    replication_factor: int,
    client_options: dict[str, object] | None = None,
) -> list[str]:
    """Create every topic in `names` that does not exist yet; return those created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **(client_options or {}))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(names) - existing)
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another node was first
                await admin.create_topics(
                    [NewTopic(name, partitions, replication_factor) for name in missing]
                )
        return missing
    finally:
        await admin.close()
