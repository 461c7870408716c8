"""The real node, end to end, in a process of its own.

1. Drain: messages pre-loaded on the receiving force's inbox topic and outbox rows waiting in
   its database; the node starts and applies the one and relays the other to three forces'
   inbox topics. Throughput is counted from the first commit to the last, each side.
2. Offered load: notifications published at a fixed rate (and at saturation, as fast as the
   publisher can) to the running node; latency runs from just before each publish to the
   commit of the receiver's record (see `latency`).
The node's CPU seconds and resident memory are read from its process; the broker's and
PostgreSQL's CPU from theirs.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from consumers.translation import incoming_command
from interforce.database import force_database_name
from ownership.adapters.outbox import write_outbox
from ownership.adapters.record_codec import dump_record
from ownership.service_layer.messagebus import message_bus
from schemas.registry import Registry
from schemas.topics import audit_topic, dead_letter_topic, inbox_topic
from tooling.bench.context import BenchContext
from tooling.bench.latency import CommitWatch
from tooling.bench.messages import NotificationFactory, WireMessage
from tooling.bench.processes import NodeProcesses, service_cpu_seconds
from tooling.bench.signing_keys import signing_key
from tooling.memory import FakeUnitOfWork

SENDER, RECEIVER = "GMP", "WMP"
RELAY_RECIPIENTS = ("GMP", "MPS", "WYP")


@dataclass
class LoadPoint:
    """One offered load: what was asked, what was reached, and how long each message took."""

    offered_msg_s: float | None
    achieved_msg_s: float
    latency_ms: dict[str, float]


@dataclass
class NodeRun:
    """One end-to-end run of the node."""

    applied_msg_s: float
    relayed_msg_s: float
    node_cpu_ms_per_msg: float
    kafka_cpu_ms_per_msg: float
    postgres_cpu_ms_per_msg: float
    rss_mb: float
    records: int
    processes: int = 1
    largest_process_rss_mb: float = 0.0
    loads: list[LoadPoint] = field(default_factory=list)


async def run_node(
    context: BenchContext, logs: Path, *, records: int, processes: int = 1
) -> NodeRun:
    """Pre-load, start the node (as one process, or as an inbox and a relay process), time
    the drain, then offer loads; clean up its processes."""
    sizes = context.sizes
    namespace = context.namespace("node")
    run = namespace.removeprefix(context.prefix + "_").upper().replace("_", "")
    factory = await NotificationFactory(
        SENDER, RECEIVER, signing_key(context.keys, SENDER), context.directory, context.schemas, run
    ).prepare()
    drain = factory.make(sizes.drain_messages)
    url = await context.database(force_database_name(RECEIVER, namespace))
    await context.topics_for(
        [inbox_topic(RECEIVER, namespace), dead_letter_topic(RECEIVER, namespace)]
        + [audit_topic(RECEIVER, namespace)]
        + [inbox_topic(force, namespace) for force in RELAY_RECIPIENTS]
    )
    await _seed_records(context, url, drain[0], records)
    await _preload_outbox(context, url, len(drain))
    await _publish_all(context, inbox_topic(RECEIVER, namespace), drain)
    node = NodeProcesses.spawn(context, namespace, RECEIVER, logs / f"{namespace}.log", processes)
    try:
        result = await _time_drain(context, node, url, len(drain), records)
        result.loads = await _offered_loads(context, node, url, factory, namespace, len(drain))
        result.rss_mb = max(result.rss_mb, node.rss_mb())
        result.processes = processes
        result.largest_process_rss_mb = max(result.largest_process_rss_mb, node.largest_rss_mb())
    except BaseException:
        print(node.log_tail())
        raise
    finally:
        node.stop()
    return result


async def _time_drain(
    context: BenchContext, node: NodeProcesses, url: str, count: int, records: int
) -> NodeRun:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=1)
    try:
        # CPU is sampled on every poll; the drain's share starts at the sample taken just before
        # its first transaction began (a batch's rows only show once it commits).
        samples: list[tuple[float, float, dict[str, float]]] = []
        peak_rss = largest = 0.0
        deadline = time.monotonic() + 60 + count / 50
        while True:
            if not node.alive():
                raise RuntimeError("the node exited:\n" + node.log_tail())
            row = await pool.fetchrow(
                "select (select count(*) from inbox) as applied,"
                " (select count(*) from outbox where sent_at is null) as waiting"
            )
            if row is None:
                raise RuntimeError("no counts")
            samples.append((time.time(), node.cpu_seconds(), service_cpu_seconds(context)))
            peak_rss = max(peak_rss, node.rss_mb())
            largest = max(largest, node.largest_rss_mb())
            if row["applied"] >= count and row["waiting"] == 0:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"drain incomplete: {dict(row)}")
            await asyncio.sleep(0.02)
        done = time.time()
        ended = (node.cpu_seconds(), service_cpu_seconds(context))
        first_in = await pool.fetchval("select extract(epoch from min(received_at)) from inbox")
        first_out = await pool.fetchval("select extract(epoch from min(sent_at)) from outbox")
        last_out = await pool.fetchval("select extract(epoch from max(sent_at)) from outbox")
        last_in = await pool.fetchval("select extract(epoch from max(received_at)) from inbox")
    finally:
        await pool.close()
    began = min(float(first_in), float(first_out))
    before = [sample for sample in samples if sample[0] <= began] or samples[:1]
    started = before[-1][1:]
    messages = 2 * count  # each applied and each relayed
    return NodeRun(
        applied_msg_s=count / (_end(done, last_in) - float(first_in)),
        relayed_msg_s=count / (_end(done, last_out) - float(first_out)),
        node_cpu_ms_per_msg=(ended[0] - started[0]) * 1000 / messages,
        kafka_cpu_ms_per_msg=(ended[1]["kafka"] - started[1]["kafka"]) * 1000 / messages,
        postgres_cpu_ms_per_msg=(ended[1]["postgresql"] - started[1]["postgresql"])
        * 1000
        / messages,
        rss_mb=peak_rss,
        records=records + count,
        largest_process_rss_mb=largest,
    )


def _end(observed: float, last_start: Any) -> float:
    """The drain's end: when the bench saw it (within one poll), never before the last batch."""
    return max(observed, float(last_start))


async def _offered_loads(
    context: BenchContext,
    node: NodeProcesses,
    url: str,
    factory: NotificationFactory,
    namespace: str,
    already: int,
) -> list[LoadPoint]:
    sizes = context.sizes
    watch = CommitWatch()
    await watch.start(url)
    producer = await _producer(context)
    points, first = [], already
    try:
        plan: list[tuple[float | None, int]] = [
            (float(rate), int(rate * sizes.offered_seconds)) for rate in sizes.offered_loads
        ]
        plan.append((None, sizes.saturation_messages))
        for rate, count in plan:
            messages = factory.make(count, first)
            first += count
            published = await _publish_at(
                producer, inbox_topic(RECEIVER, namespace), messages, rate
            )
            if not await watch.wait_for(published, within=60 + count / 100):
                raise TimeoutError(f"offered load {rate}: not every message was applied")
            points.append(_point(rate, published, watch.seen))
            if not node.alive():
                raise RuntimeError("the node exited:\n" + node.log_tail())
    finally:
        await producer.stop()
        await watch.stop()
    return points


def _point(rate: float | None, published: dict[str, float], seen: dict[str, float]) -> LoadPoint:
    latencies = sorted((seen[i] - t) * 1000 for i, t in published.items())
    span = max(seen[i] for i in published) - min(published.values())
    return LoadPoint(rate, len(published) / span, percentiles(latencies))


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 of sorted values (nearest rank)."""
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    return {
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "mean": round(statistics.fmean(ordered), 2),
    }


async def _producer(context: BenchContext) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(
        bootstrap_servers=context.bootstrap,
        acks="all",
        enable_idempotence=True,
        **context.kafka_options(),
    )
    await producer.start()
    return producer


async def _publish_at(
    producer: AIOKafkaProducer, topic: str, messages: Sequence[WireMessage], rate: float | None
) -> dict[str, float]:
    """Publish at `rate` a second (None: as fast as possible); the wall time of each send."""
    published: dict[str, float] = {}
    sends = []
    began = time.monotonic()
    for index, message in enumerate(messages):
        if rate is not None:
            delay = began + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        published[message.message_id] = time.time()
        sends.append(await producer.send(topic, message.raw, key=message.key))
    await asyncio.gather(*sends)
    return published


async def _publish_all(context: BenchContext, topic: str, messages: Sequence[WireMessage]) -> None:
    producer = await _producer(context)
    try:
        await _publish_at(producer, topic, messages, None)
    finally:
        await producer.stop()


async def _preload_outbox(context: BenchContext, url: str, count: int) -> None:
    """Outbox rows from the receiving force to three others, as its unit of work writes them."""
    key = signing_key(context.keys, RECEIVER)
    relayed = NotificationFactory(RECEIVER, SENDER, key, context.directory, context.schemas, "OUT")
    await relayed.prepare()
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            await write_outbox(connection, relayed.outbox(count, RELAY_RECIPIENTS))
    finally:
        await connection.close()


async def _seed_records(context: BenchContext, url: str, sample: WireMessage, count: int) -> None:
    """`count` offender records like the one a notification opens, so memory is measured
    with a realistic database behind the node."""
    if count <= 0:
        return
    received = Registry(context.directory, force=RECEIVER, schemas=context.schemas).receive(
        sample.raw
    )
    uow = FakeUnitOfWork(RECEIVER)
    await message_bus(uow).handle(incoming_command(received))
    record = next(iter(uow.store.values()))
    state = dump_record(record)
    rows = [
        (f"SEED-{n:07d}", record.owner, record.epoch, str(record.status), state, 1)
        for n in range(count)
    ]
    connection = await asyncpg.connect(url)
    try:
        await connection.copy_records_to_table(
            "offender_records",
            records=rows,
            columns=["reference", "owner", "epoch", "status", "state", "version"],
        )
    finally:
        await connection.close()
