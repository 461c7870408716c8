"""One bench run: the set-up, then baselines, stage costs and the node, alternating, then the
federation; medians with min and max, ratios and targets, as a dict ready for JSON."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

from tooling.bench.baselines import BATCH_SIZES, raw_asyncpg, raw_kafka
from tooling.bench.cli_start import HELP_TARGET_S, measure_cli_start
from tooling.bench.context import BenchContext
from tooling.bench.federation import run_federation
from tooling.bench.messages import NotificationFactory
from tooling.bench.node_e2e import RECEIVER, SENDER, NodeRun, run_node
from tooling.bench.setup import describe_setup
from tooling.bench.signing_keys import signing_key
from tooling.bench.stages import STAGES, StageCosts, measure_stages
from tooling.bench.stats import spread

COMPARED_BATCH = 100
"""The raw asyncpg batch size the node is compared with: the node commits a partition's
share of a consumer batch (up to 500 records over 3 partitions) per transaction."""


async def run_bench(context: BenchContext, logs: Path, federation_processes: int) -> dict[str, Any]:
    """Measure everything; return the results."""
    sizes = context.sizes
    setup = await describe_setup(context)
    cli = await asyncio.to_thread(measure_cli_start, sizes.cli_runs)
    factory = await NotificationFactory(
        SENDER,
        RECEIVER,
        signing_key(context.keys, SENDER),
        context.directory,
        context.schemas,
        f"{context.prefix}B",
    ).prepare()
    messages = factory.make(max(sizes.kafka_messages, sizes.asyncpg_messages, sizes.stage_messages))
    kafka: list[float] = []
    postgres: dict[int, list[float]] = {batch: [] for batch in BATCH_SIZES}
    stages: list[StageCosts] = []
    nodes: list[NodeRun] = []
    split: list[NodeRun] = []
    for _ in range(sizes.runs):
        kafka.append(await raw_kafka(context, messages[: sizes.kafka_messages]))
        for batch in BATCH_SIZES:
            postgres[batch].append(
                await raw_asyncpg(context, messages[: sizes.asyncpg_messages], batch)
            )
        stages.append(
            await measure_stages(
                messages[: sizes.stage_messages],
                receiver=RECEIVER,
                sender_key=signing_key(context.keys, SENDER),
                directory=context.directory,
                schemas=context.schemas,
            )
        )
        nodes.append(await run_node(context, logs, records=sizes.records))
        await context.clean_up()
        split.append(await run_node(context, logs, records=sizes.records, processes=2))
        await context.clean_up()
    federation = await run_federation(context, logs, federation_processes)
    await context.clean_up()
    results = _results(setup, kafka, postgres, stages, (nodes, split), federation)
    return _with_cli(results, cli)


def _results(
    setup: dict[str, Any],
    kafka: list[float],
    postgres: dict[int, list[float]],
    stages: list[StageCosts],
    node_runs: tuple[list[NodeRun], list[NodeRun]],
    federation: Any,
) -> dict[str, Any]:
    node, two = _node(node_runs[0]), _node(node_runs[1])
    stage_micros = {name: spread([s.micros[name] for s in stages], 1) for name in STAGES}
    stage_micros["total"] = spread([s.total_micros for s in stages], 1)
    stage_micros["registry_receive"] = spread([s.receive_micros for s in stages], 1)
    predicted = spread([s.predicted_msg_s for s in stages], 0)
    asyncpg_rates = {str(batch): spread(rates, 0) for batch, rates in postgres.items()}
    ratios = _ratios(node, asyncpg_rates, kafka, predicted)
    ratios["two_processes"] = _ratios(two, asyncpg_rates, kafka, predicted)
    return {
        "setup": setup,
        "baselines": {"aiokafka_msg_s": spread(kafka, 0), "asyncpg_msg_s": asyncpg_rates},
        "stages_us_per_msg": stage_micros,
        "predicted_msg_s": predicted,
        "node": node,
        "node_two_processes": two,
        "ratios": ratios,
        "federation": {
            **dataclasses.asdict(federation),
            "all_invariants_hold": federation.all_hold,
        },
        "targets": _targets(node, two, ratios, federation),
    }


def _with_cli(results: dict[str, Any], cli: dict[str, Any]) -> dict[str, Any]:
    """The results with the CLI's start time after the set-up and its target among the rest."""
    reached = cli["help_s"]
    target = {"reached": reached, "target": HELP_TARGET_S, "met": reached < HELP_TARGET_S}
    return {
        "setup": results["setup"],
        "cli": cli,
        **{key: value for key, value in results.items() if key != "setup"},
        "targets": {**results["targets"], "cli_help_s": target},
    }


def _ratios(
    node: dict[str, Any],
    asyncpg_rates: dict[str, dict[str, float]],
    kafka: list[float],
    predicted: dict[str, float],
) -> dict[str, Any]:
    throughput = node["throughput_msg_s"]
    return {
        "node_vs_asyncpg": round(throughput / asyncpg_rates[str(COMPARED_BATCH)]["median"], 3),
        "node_vs_asyncpg_batch_size": COMPARED_BATCH,
        "node_vs_aiokafka": round(throughput / spread(kafka, 0)["median"], 3),
        "node_vs_predicted": round(throughput / predicted["median"], 3),
    }


def _node(nodes: list[NodeRun]) -> dict[str, Any]:
    applied = spread([n.applied_msg_s for n in nodes], 0)
    loads: list[dict[str, Any]] = []
    for index, first in enumerate(nodes[0].loads):
        points = [n.loads[index] for n in nodes]
        loads.append(
            {
                "offered_msg_s": first.offered_msg_s,
                "achieved_msg_s": spread([p.achieved_msg_s for p in points], 0),
                "latency_ms": {
                    q: spread([p.latency_ms[q] for p in points]) for q in ("p50", "p95", "p99")
                },
            }
        )
    fixed = loads[0]["latency_ms"]
    rss = spread([n.rss_mb for n in nodes], 1)
    return {
        "throughput_msg_s": applied["median"],
        "throughput": applied,
        "relay_msg_s": spread([n.relayed_msg_s for n in nodes], 0),
        "latency_ms": {q: fixed[q]["median"] for q in ("p50", "p95", "p99")},
        "latency_offered_msg_s": loads[0]["offered_msg_s"],
        "saturation": loads[-1],
        "loads": loads,
        "cpu_ms_per_msg": {
            "node": spread([n.node_cpu_ms_per_msg for n in nodes], 3),
            "kafka": spread([n.kafka_cpu_ms_per_msg for n in nodes], 3),
            "postgresql": spread([n.postgres_cpu_ms_per_msg for n in nodes], 3),
        },
        "processes": nodes[0].processes,
        "rss_mb": rss["median"],
        "rss": rss,
        "largest_process_rss_mb": spread([n.largest_process_rss_mb for n in nodes], 1),
        "records_in_database": nodes[0].records,
    }


def _targets(
    node: dict[str, Any], two: dict[str, Any], ratios: dict[str, Any], federation: Any
) -> dict[str, Any]:
    """Each target for the node as one process; throughput and memory also as two."""

    def target(reached: float, goal: float, below: bool = False) -> dict[str, Any]:
        met = reached < goal if below else reached >= goal
        return {"reached": reached, "target": goal, "met": met}

    return {
        "throughput_msg_s": target(node["throughput_msg_s"], 2000),
        "throughput_msg_s_two_processes": target(two["throughput_msg_s"], 2000),
        "node_vs_asyncpg": target(ratios["node_vs_asyncpg"], 0.6),
        "node_vs_asyncpg_two_processes": target(ratios["two_processes"]["node_vs_asyncpg"], 0.6),
        "latency_p50_ms": target(node["latency_ms"]["p50"], 10, below=True),
        "latency_p99_ms": target(node["latency_ms"]["p99"], 50, below=True),
        "rss_mb": target(node["rss_mb"], 150, below=True),
        "rss_mb_two_processes_together": target(two["rss_mb"], 150, below=True),
        "federation_wall_s": target(federation.wall_s, 300, below=True),
        "federation_invariants": {"met": federation.all_hold},
    }
