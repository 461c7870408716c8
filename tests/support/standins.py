"""Stand-ins for the node's decoder and effects, to test the consumer machinery alone."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from consumers.dead_letters import DeadLetter
from consumers.inbox_processor import Accepted, Applied
from consumers.records import InboxRecord
from consumers.refusal import Refused
from ownership.adapters.db import Connection
from ownership.service_layer.unit_of_work import ConcurrentUpdateError

TOPIC = "interforce.wmp.inbox"


@dataclass
class RecordingSink:
    letters: list[DeadLetter] = field(default_factory=list)

    async def send(self, letters: Sequence[DeadLetter]) -> None:
        self.letters.extend(letters)


@dataclass
class Effects:
    """The stand-in effect: a row per applied message, with scripted faults."""

    conflicts_left: int = 0
    writes: int = 0
    decoder_away_left: int = 0

    def decode(self, record: InboxRecord) -> Accepted[dict[str, str]]:
        try:
            body = json.loads(record.value)
        except ValueError as error:
            raise Refused("not-json", str(error)) from error
        if body.get("do") == "crash-decoder":
            raise OverflowError("a bug of ours in decoding")
        if body.get("do") == "decoder-away" and self.decoder_away_left > 0:
            self.decoder_away_left -= 1
            raise ConnectionRefusedError("the directory's server is away")
        if body.get("do") == "refuse-at-length":
            raise Refused("body-invalid", "member\nnot allowed: " + "k" * 60_000)
        return Accepted(record, body["sender"], body["id"], "test.message", body["id"], body)

    def __call__(self, connection: Connection) -> EffectRows:
        return EffectRows(self, connection)


@dataclass
class EffectRows:
    """One stand-in effect batch: rows kept in memory as messages apply, inserted at `write`."""

    effects: Effects
    connection: Connection
    rows: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)

    async def load(self, messages: Sequence[Accepted[dict[str, str]]]) -> None:
        self.loaded.extend(m.message_id for m in messages)

    async def apply(self, accepted: Accepted[dict[str, str]]) -> Applied:
        if accepted.message_id not in self.loaded:
            raise AssertionError(f"{accepted.message_id} applied without being loaded")
        self.rows.append(accepted.message_id)
        do = accepted.message["do"]
        if do == "refuse":
            raise Refused("role-violation", "only the named receiver acknowledges")
        if do == "crash":
            raise ZeroDivisionError("a bug of ours")
        if do == "conflict" and self.effects.conflicts_left > 0:
            self.effects.conflicts_left -= 1
            raise ConcurrentUpdateError("record changed underneath")
        if do == "refuse-and-keep":
            return Applied(refused=Refused("stale-epoch", "recorded, and dead-lettered"))
        return Applied()

    async def write(self) -> None:
        await self.connection.executemany(
            "insert into effects values ($1)", [(row,) for row in self.rows]
        )
        self.effects.writes += 1


def record(offset: int, message_id: str, do: str = "apply", partition: int = 0) -> InboxRecord:
    body = json.dumps({"sender": "WMY", "id": message_id, "do": do}).encode()
    return InboxRecord(TOPIC, partition, offset, b"OFF-1", body)
