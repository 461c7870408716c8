"""The force's dead-letter topic: the refused record's bytes and key (the first 256 KiB of a
longer record), its reason in headers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from faststream.kafka import KafkaBroker

from consumers.dead_letters import DeadLetter


class KafkaDeadLetterSink:
    """Publishes dead letters and returns once the broker acknowledged every one."""

    def __init__(self, broker: KafkaBroker, topic: str) -> None:
        self._broker = broker
        self._topic = topic

    async def send(self, letters: Sequence[DeadLetter]) -> None:
        pending = [
            await self._broker.publish(
                letter.topic_value(),
                self._topic,
                key=letter.topic_key(),
                headers=letter.headers(),
                no_confirm=True,
            )
            for letter in letters
        ]
        await asyncio.gather(*pending)
