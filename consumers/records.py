"""What the consumer needs of a Kafka record, free of aiokafka's types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InboxRecord:
    """One record read from a force's inbox topic, its bytes untouched."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()

    @property
    def position(self) -> str:
        return f"{self.topic}[{self.partition}]@{self.offset}"


def from_consumer_record(record: object) -> InboxRecord:
    """Copy what we need from an aiokafka `ConsumerRecord`."""
    value = getattr(record, "value", None)
    return InboxRecord(
        topic=str(getattr(record, "topic")),  # noqa: B009 - aiokafka's record is untyped
        partition=int(getattr(record, "partition")),  # noqa: B009
        offset=int(getattr(record, "offset")),  # noqa: B009
        key=getattr(record, "key", None),
        value=value if isinstance(value, bytes) else b"",
        headers=tuple(getattr(record, "headers", ()) or ()),
    )
