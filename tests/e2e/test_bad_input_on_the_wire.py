"""The bad-message corpus, produced straight onto nodes' inbox topics among real traffic.

Every bad message ends in the recipient's dead-letter topic with its reason in the headers
and its bytes intact, and in the `dead_letters` table; every good message around them is
applied, and the transfers they carry converge.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas.topics import dead_letter_topic, inbox_topic
from tests.corpus import CorpusCase, load_corpus
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e


async def produce(bootstrap: str, namespace: str, cases: list[CorpusCase]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=4 * 1024 * 1024)
    await producer.start()
    try:
        for case in cases:
            await producer.send_and_wait(
                inbox_topic(case.recipient, namespace), case.raw, key=case.name.encode()
            )
            await asyncio.sleep(0.01)  # interleave with the nodes' own traffic
    finally:
        await producer.stop()


async def read_dead_letters(
    bootstrap: str, topic: str, count: int
) -> list[tuple[bytes, dict[str, bytes]]]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
        fetch_max_bytes=8 * 1024 * 1024,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    found: list[tuple[bytes, dict[str, bytes]]] = []
    try:
        async with asyncio.timeout(60):
            while len(found) < count:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    found.extend((r.value, dict(r.headers)) for r in records)
    finally:
        await consumer.stop()
    return found


async def dead_letter_reasons(run: Running, force: str) -> Counter[str]:
    rows = await run.desks[force].pool.fetch("select reason from dead_letters")
    return Counter(row["reason"] for row in rows)


async def test_the_corpus_is_dead_lettered_and_good_traffic_applied(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    bad = [case for case in load_corpus() if case.reason is not None]
    expected = {
        force: Counter(c.reason for c in bad if c.reason is not None and c.recipient == force)
        for force in ("GMP", "WMP")
    }
    assert sum(reasons.total() for reasons in expected.values()) >= 60
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    planned = plans("GMP", "WMP", 10)
    async with running(federation, ["GMP", "WMP"]) as run:
        pilot = Autopilot(run.desks, planned)
        await asyncio.gather(pilot.begin(), produce(kafka_bootstrap, federation.namespace, bad))
        await pilot.run_until_converged(within=180)

        for force, reasons in expected.items():

            async def all_recorded(force: str = force, reasons: Counter[str] = reasons) -> bool:
                return (await dead_letter_reasons(run, force)).total() >= reasons.total()

            await eventually(all_recorded, within=60)
            assert await dead_letter_reasons(run, force) == reasons

            letters = await read_dead_letters(
                kafka_bootstrap, dead_letter_topic(force, federation.namespace), reasons.total()
            )
            by_bytes = {case.raw: case.reason for case in bad if case.recipient == force}
            assert len(letters) == reasons.total()
            for value, headers in letters:
                assert headers["interforce-reason"].decode() == by_bytes[value]
                assert headers["interforce-original-topic"].decode() == inbox_topic(
                    force, federation.namespace
                )
        # The good traffic: every transfer committed, each message applied exactly once.
        n = len(planned)
        for plan in planned:
            for force in ("GMP", "WMP"):
                record = await run.desks[force].record(plan.reference)
                assert record is not None
                assert (record.owner, record.epoch) == ("WMP", 2)
        assert await run.count("WMP", "select count(*) from inbox") == 2 * n
        assert await run.count("GMP", "select count(*) from inbox") == 2 * n
        for force in ("GMP", "WMP"):
            assert await run.audit_intact(force)
            dead = await run.count(
                force, "select count(*) from audit_log where action = 'message.dead-lettered'"
            )
            assert dead == expected[force].total()
