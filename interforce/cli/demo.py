"""`interforce demo`: a federation of force nodes playing the guidance's scenarios.

The demo is development tooling (`tooling.demo`, the `[local]` extra): the command imports it
when it runs, never at import time.
"""

from __future__ import annotations

from pathlib import Path

import typer

from interforce.cli.extras import require_extra

TEST_KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
"""The demo runner's default key folder, named here so that `--help` need not load the demo."""
KEYS = typer.Option(TEST_KEYS, help="Folder of the forces' test signing keys.")
KEEP_RUNNING = typer.Option(
    False, "--keep-running", help="Leave the nodes (and the dashboard) up at the end."
)


def register(app: typer.Typer) -> None:
    """Add the `demo` command to the root app."""
    app.command("demo")(demo_command)


def demo_command(
    keys: Path = KEYS,
    keep_running: bool = KEEP_RUNNING,
) -> None:
    """Start five forces' nodes and play every scenario end to end over Kafka.

    Prints a timeline, the final owner and epoch of every offender as each force sees it,
    and the dashboard's address; exits 1 if any invariant fails.
    """
    import asyncio

    require_extra("demo", "local", "psutil")
    from interforce.settings import Settings
    from tooling.demo.runner import run_demo

    raise typer.Exit(asyncio.run(run_demo(Settings(), keys=keys, keep_running=keep_running)))
