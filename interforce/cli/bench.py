"""`interforce bench`: measure the node side by side with raw baselines on this machine.

The bench is development tooling (`tooling.bench`, the `[bench]` extra): the command imports
it when it runs, never at import time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from interforce.cli.extras import require_extra


def register(app: typer.Typer) -> None:
    """Add the `bench` command to the root app."""
    app.command("bench")(bench_command)


def bench_command(
    output: Annotated[Path, typer.Option(help="Where to write the results as JSON.")] = Path(
        "bench.json"
    ),
    chart: Annotated[
        Path | None, typer.Option(help="The PNG chart; default: beside the JSON.")
    ] = None,
    quick: Annotated[bool, typer.Option(help="Small sizes: done in under a minute.")] = False,
    keys: Annotated[
        Path | None,
        typer.Option(help="Test signing keys (<force>-2024.json); default: tests/keys."),
    ] = None,
    processes: Annotated[
        int, typer.Option(help="Processes the federation's nodes share.", min=1)
    ] = 4,
) -> None:
    """Baselines, stage costs, the node end to end and a federation of every force."""
    require_extra("bench", "bench", "matplotlib", "psutil")
    from interforce import event_loop
    from interforce.settings import Settings
    from tooling.bench.chart import draw_chart
    from tooling.bench.context import BenchContext, Sizes
    from tooling.bench.report import render, write_json
    from tooling.bench.runner import run_bench
    from tooling.bench.signing_keys import keys_dir

    context = BenchContext(Settings(), Sizes.quick() if quick else Sizes.full(), keys_dir(keys))
    logs = Path(tempfile.mkdtemp(prefix="interforce-bench-"))

    async def run() -> dict[str, object]:
        try:
            return await run_bench(context, logs, processes)
        finally:
            await context.clean_up()

    results = event_loop.run(run(), context.settings.event_loop)
    write_json(results, output)
    chart_path = chart or output.with_suffix(".png")
    draw_chart(
        results["node"]["loads"],  # type: ignore[index]
        chart_path,
        results["node_two_processes"]["loads"],  # type: ignore[index]
    )
    typer.echo(render(results))
    typer.echo(f"results: {output}; chart: {chart_path}; node logs: {logs}")
