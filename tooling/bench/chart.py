"""The chart: throughput reached and latency against the offered load (PNG, matplotlib Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")

from matplotlib import pyplot as plt  # after `use`: the backend must be chosen first


def draw_chart(
    loads: list[dict[str, Any]], path: Path, two_processes: list[dict[str, Any]] | None = None
) -> None:
    """Two panels from `node.loads` (medians): reached vs offered rate, and latency; with
    `node_two_processes.loads` dashed beside them when given."""
    offered = [point["offered_msg_s"] or point["achieved_msg_s"]["median"] for point in loads]
    labels = [
        f"{point['offered_msg_s']:.0f}" if point["offered_msg_s"] else "saturation"
        for point in loads
    ]
    figure, (rate, latency) = plt.subplots(1, 2, figsize=(11, 4.2))
    rate.plot(offered, [p["achieved_msg_s"]["median"] for p in loads], "o-", label="node")
    rate.plot(offered, offered, ":", color="grey", label="offered")
    if two_processes:
        rate.plot(
            [p["offered_msg_s"] or p["achieved_msg_s"]["median"] for p in two_processes],
            [p["achieved_msg_s"]["median"] for p in two_processes],
            "s--",
            label="node, two processes",
        )
    rate.set(xlabel="offered load (msg/s)", ylabel="applied (msg/s)", title="Throughput")
    for quantile in ("p50", "p95", "p99"):
        latency.plot(
            offered, [p["latency_ms"][quantile]["median"] for p in loads], "o-", label=quantile
        )
        if two_processes and len(two_processes) == len(loads):
            latency.plot(
                offered,
                [p["latency_ms"][quantile]["median"] for p in two_processes],
                "s--",
                label=f"{quantile}, two processes",
            )
    latency.set(
        xlabel="offered load (msg/s)", ylabel="publish → committed (ms)", title="Latency",
        yscale="log",
    )  # fmt: skip
    for axes in (rate, latency):
        axes.set_xticks(offered, labels)
        axes.grid(alpha=0.3)
        axes.legend()
    figure.suptitle("interforce node: one force's inbox, end to end")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
