"""Poison records on a real node's inbox: each is dead-lettered with its reason, and the
genuine messages behind it on the same partition apply within seconds.

Each kind once stopped an inbox partition for good (the subscriber retried the same batch
for ever) or reached PostgreSQL unrefused: a dataschema version the envelope pattern allows
but the parser refused, an integer longer than Python reads (in the envelope, deep in the
body), NUL in a genuinely signed string, a message dated years ahead, a record that makes
the decoder raise something unexpected (injected, see `decoder_fault/`), and a record whose
dead letter would not fit in a Kafka message.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from consumers.dead_letters import TOPIC_VALUE_LIMIT
from schemas.envelope import schema_id
from schemas.topics import dead_letter_topic, inbox_topic
from tests.corpus.generate import signed, unsigned, wire
from tests.support.federation import Running, new_federation
from tests.support.waiting import eventually
from tests.support.wire import read_topic

pytestmark = pytest.mark.e2e

HOOK = Path(__file__).parent / "decoder_fault"
MARKER = b"inject-a-decoder-fault"
"""What the hook in `HOOK` fails on; not imported from there, which would patch this process."""
HUGE = b"9" * 5000
PARTITION = 0


@dataclass(frozen=True)
class Poison:
    """One poison record and the reason it must be dead-lettered with."""

    kind: str
    raw: bytes
    reason: str


SKEW = timedelta(minutes=20)
"""The node's margin (`INTERFORCE_MAX_CLOCK_SKEW_SECONDS`), wider than the default 5 minutes."""


def now_text(ahead: timedelta = timedelta(0)) -> str:
    return (datetime.now(UTC) + ahead).isoformat().replace("+00:00", "Z")


def notification(reference: str, **changes: Any) -> dict[str, Any]:
    """A fresh transfer.notified from GMP to WMP about `reference`, unsigned."""
    envelope = unsigned("transfer.notified")
    fresh = {"id": str(uuid.uuid4()), "time": now_text(), "transferid": str(uuid.uuid4())}
    envelope.update({**fresh, "subject": reference, "epoch": 1, **changes})
    return envelope


def genuine(reference: str, ahead: timedelta = timedelta(0)) -> bytes:
    return wire(signed(notification(reference, time=now_text(ahead))))


def with_notes(notes: str) -> bytes:
    envelope = notification(f"GMP-2026-{uuid.uuid4().int % 10**6:06d}")
    envelope["data"]["safety"]["notes"] = notes
    return wire(signed(envelope))


def poisons() -> list[Poison]:
    notice = notification("GMP-2026-900001")
    unsigned_notice = wire(notice)
    bad_version = schema_id("transfer.notified", "2.01").encode()
    return [
        Poison(
            "bad-version",
            unsigned_notice.replace(str(notice["dataschema"]).encode(), bad_version),
            "unsupported-version",
        ),
        Poison(
            "huge-integer-in-epoch",
            unsigned_notice.replace(b'"epoch":1', b'"epoch":' + HUGE),
            "envelope-invalid",
        ),
        Poison(
            "huge-integer-deep-in-data",
            unsigned_notice.replace(b'"level":"high"', b'"level":[{"n":[' + HUGE + b"]}]"),
            "body-invalid",
        ),
        Poison("nul-in-a-signed-string", with_notes("Knife\u0000 threat"), "unstorable-text"),
        Poison(
            "dated-2035",
            wire(signed(notification("GMP-2026-900002", time="2035-06-15T10:00:00Z"))),
            "time-skew",
        ),
        Poison("decoder-fault", with_notes(MARKER.decode()), "internal-error"),
        # its dead letter once broke the producer's 1 MiB limit on the dead-letter topic
        Poison("nearly-a-mebibyte", b"{" + b" " * (1024 * 1024 - 200) + b"}", "oversize"),
    ]


async def test_poison_records_are_dead_lettered_and_the_partition_keeps_moving(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    assert f'MARKER = b"{MARKER.decode()}"' in (HOOK / "sitecustomize.py").read_text()
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    run = Running(federation)
    inbox = inbox_topic("WMP", federation.namespace)
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, acks="all", max_request_size=2 * 1024 * 1024
    )
    try:
        node = await run.start(
            "WMP",
            PYTHONPATH=str(HOOK),
            INTERFORCE_MAX_CLOCK_SKEW_SECONDS=str(SKEW.total_seconds()),
        )
        await producer.start()
        cases = poisons()
        positions: dict[str, int] = {}
        for poison in cases:
            sent = await producer.send_and_wait(
                inbox, poison.raw, key=b"GMP-2026-000001", partition=PARTITION
            )
            positions[poison.kind] = sent.offset
            behind = [f"GMP-2026-{sent.offset:03d}{n}" for n in range(2)]
            # the second is dated 10 minutes ahead: within this node's margin, not the default
            for reference, ahead in zip(behind, (timedelta(0), SKEW / 2), strict=True):
                await producer.send_and_wait(
                    inbox, genuine(reference, ahead), key=reference.encode(), partition=PARTITION
                )
            await eventually(partial(applied, run, behind), within=30)
            row = await run.desks["WMP"].pool.fetchrow(
                'select reason, detail, value from dead_letters where "offset" = $1', sent.offset
            )
            assert row is not None, poison.kind
            assert (row["reason"], row["value"]) == (poison.reason, poison.raw), poison.kind
        assert node.alive()

        letters = await read_topic(
            kafka_bootstrap, dead_letter_topic("WMP", federation.namespace), len(positions)
        )
        on_topic = {
            int(letter.headers["interforce-original-offset"]): (
                letter.headers["interforce-reason"].decode(),
                letter.value,
            )
            for letter in letters
        }
        assert on_topic == {
            positions[poison.kind]: (poison.reason, poison.raw[:TOPIC_VALUE_LIMIT])
            for poison in cases
        }
        fault = await run.desks["WMP"].pool.fetchval(
            "select detail from dead_letters where reason = 'internal-error'"
        )
        assert fault.startswith("LookupError while decoding: ")

        entries = log_entries(node.log_file)
        tracebacks = [entry for entry in entries if "Traceback" in entry.get("exception", "")]
        assert [entry["message"] for entry in tracebacks] == [
            f"dead-lettered {inbox}[{PARTITION}]@{positions['decoder-fault']}: internal-error: "
            + fault
        ]
        assert not [entry for entry in entries if "Traceback" in entry.get("raw", "")]
    finally:
        await producer.stop()
        await run.close()


async def applied(run: Running, references: list[str]) -> bool:
    found = await run.desks["WMP"].pool.fetchval(
        "select count(*) from offender_records where reference = any($1)", references
    )
    return int(found) == len(references)


def log_entries(path: Path) -> list[dict[str, str]]:
    """The node's log: JSON lines, and anything else it printed as `raw`."""
    entries = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            entry = {"raw": line}
        entries.append(entry if isinstance(entry, dict) else {"raw": line})
    return entries
