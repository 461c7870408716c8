"""`interforce demo`: a federation of force nodes playing the guidance's scenarios.

The demo is development tooling (`tooling.demo`, the `[local]` extra): the command imports it
when it runs, never at import time.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from interforce.cli.extras import require_extra
from interforce.settings import Settings

KEYS = typer.Option(None, help="Folder of the forces' test signing keys; default: tests/keys.")
KEEP_RUNNING = typer.Option(
    False, "--keep-running", help="Leave the nodes (and the dashboard) up at the end."
)


def register(app: typer.Typer) -> None:
    """Add the `demo` command to the root app."""

    @app.command("demo")
    def demo_command(
        keys: Path | None = KEYS,
        keep_running: bool = KEEP_RUNNING,
    ) -> None:
        """Start five forces' nodes and play every scenario end to end over Kafka.

        Prints a timeline, the final owner and epoch of every offender as each force sees it,
        and the dashboard's address; exits 1 if any invariant fails.
        """
        require_extra("demo", "local", "psutil")
        from tooling.demo.runner import TEST_KEYS, run_demo

        demo = run_demo(Settings(), keys=keys or TEST_KEYS, keep_running=keep_running)
        raise typer.Exit(asyncio.run(demo))
