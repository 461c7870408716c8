"""Stand-ins for the node's decoder and effect, to test the consumer machinery alone."""

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

    def decode(self, record: InboxRecord) -> Accepted[dict[str, str]]:
        try:
            body = json.loads(record.value)
        except ValueError as error:
            raise Refused("not-json", str(error)) from error
        return Accepted(record, body["sender"], body["id"], "test.message", body["id"], body)

    async def apply(self, connection: Connection, accepted: Accepted[dict[str, str]]) -> Applied:
        await connection.execute("insert into effects values ($1)", accepted.message_id)
        if accepted.message["do"] == "refuse":
            raise Refused("role-violation", "only the named receiver acknowledges")
        if accepted.message["do"] == "crash":
            raise ZeroDivisionError("a bug of ours")
        if accepted.message["do"] == "conflict" and self.conflicts_left > 0:
            self.conflicts_left -= 1
            raise ConcurrentUpdateError("record changed underneath")
        if accepted.message["do"] == "refuse-and-keep":
            return Applied(refused=Refused("stale-epoch", "recorded, and dead-lettered"))
        return Applied()


def record(offset: int, message_id: str, do: str = "apply", partition: int = 0) -> InboxRecord:
    body = json.dumps({"sender": "WMY", "id": message_id, "do": do}).encode()
    return InboxRecord(TOPIC, partition, offset, b"OFF-1", body)
