"""The bench's results as text for the terminal and as JSON for comparing commits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_json(results: dict[str, Any], path: Path) -> None:
    """The results, indented, in `path`."""
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _s(figure: dict[str, float], unit: str = "") -> str:
    return f"{figure['median']:g}{unit} (min {figure['min']:g}, max {figure['max']:g})"


def _node_lines(label: str, node: dict[str, Any]) -> list[str]:
    lines = [
        f"== node end to end ({label})",
        f"drain, applied: {_s(node['throughput'], ' msg/s')}",
        f"drain, relayed: {_s(node['relay_msg_s'], ' msg/s')}",
    ]
    for point in node["loads"]:
        offered = f"{point['offered_msg_s']:g} msg/s" if point["offered_msg_s"] else "saturation"
        latency = point["latency_ms"]
        lines.append(
            f"offered {offered}: reached {_s(point['achieved_msg_s'])} msg/s;"
            f" latency p50 {_s(latency['p50'])}, p95 {_s(latency['p95'])},"
            f" p99 {_s(latency['p99'])} ms"
        )
    cpu = node["cpu_ms_per_msg"]
    lines += [
        f"CPU ms per message (in + out): node {_s(cpu['node'])}, Kafka {_s(cpu['kafka'])},"
        f" PostgreSQL {_s(cpu['postgresql'])}",
        f"node resident memory: {_s(node['rss'], ' MB')}"
        + (
            f" in {node['processes']} processes together (largest"
            f" {_s(node['largest_process_rss_mb'], ' MB')})"
            if node["processes"] > 1
            else ""
        )
        + f" with {node['records_in_database']} offender records",
    ]
    return lines


def _cli_lines(cli: dict[str, Any]) -> list[str]:
    return [
        f"== CLI start (median of {cli['runs']} runs)",
        f"`{cli['command']}`: {cli['help_s']:g} s; `python -c pass`: {cli['python_s']:g} s;"
        f" ratio {cli['ratio_to_python']:g}",
    ]


def render(results: dict[str, Any]) -> str:
    """A readable summary of every figure."""
    setup, node, ratios = results["setup"], results["node"], results["ratios"]
    pg, kafka = setup["postgresql"], setup["kafka"]
    lines = [
        "== set-up",
        f"cores {setup['cores']}, Python {setup['python']}, {setup['platform']}",
        f"Kafka {kafka['version']} ({kafka['producer']}, {kafka['topic_partitions']} partitions,"
        f" replication {kafka['replication_factor']})",
        f"PostgreSQL {pg['version']}: synchronous_commit={pg['synchronous_commit']},"
        f" fsync={pg['fsync']}, wal_sync_method={pg['wal_sync_method']},"
        f" shared_buffers={pg['shared_buffers']}, commit_delay={pg['commit_delay']}",
        f"fsync rate (8 KB write + fdatasync): {setup['fsync_per_s']:g}/s",
        *_cli_lines(results["cli"]),
        "== baselines (msg/s; median of runs, min, max)",
        f"raw aiokafka produce-then-consume: {_s(results['baselines']['aiokafka_msg_s'])}",
    ]
    for batch, figure in results["baselines"]["asyncpg_msg_s"].items():
        lines.append(f"raw asyncpg, commit every {batch:>3}: {_s(figure)}")
    lines.append("== CPU per message by stage (µs)")
    for stage, figure in results["stages_us_per_msg"].items():
        lines.append(f"{stage:>16}: {_s(figure)}")
    lines.append(f"predicted from stages: {_s(results['predicted_msg_s'], ' msg/s')}")
    lines += _node_lines("one process", node)
    two = results["node_two_processes"]
    lines += _node_lines("two processes: inbox and relay", two)
    lines.append("== ratios")
    for label, figures in (("one process", ratios), ("two processes", ratios["two_processes"])):
        lines += [
            f"{label}: node ÷ raw asyncpg (batch {figures['node_vs_asyncpg_batch_size']}):"
            f" {figures['node_vs_asyncpg']:g};"
            f" node ÷ raw aiokafka: {figures['node_vs_aiokafka']:g};"
            f" node ÷ predicted from stage costs: {figures['node_vs_predicted']:g}",
        ]
    federation = results["federation"]
    lines += [
        "== federation",
        f"{federation['forces']} forces in {federation['node_processes']} node processes,"
        f" {federation['transfers']} transfers to committed ownership:"
        f" {federation['wall_s']:g} s wall ({federation['converge_s']:g} s playing),"
        f" {federation['messages']} messages applied, {federation['commands']} commands",
    ]
    lines += [
        f"  {name}: {'holds' if ok else 'BROKEN'}" for name, ok in federation["invariants"].items()
    ]
    lines.append("== targets")
    for name, target in results["targets"].items():
        reached = (
            f" {target['reached']:g} (target {target['target']:g})" if "reached" in target else ""
        )
        lines.append(f"{name}:{reached} {'met' if target['met'] else 'NOT met'}")
    return "\n".join(lines)
