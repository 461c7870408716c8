"""`interforce demo`: show messages crossing between forces over the real broker."""

from __future__ import annotations

import asyncio

import typer

from interforce.demo import run_demo
from interforce.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the `demo` command to the root app."""

    @app.command("demo")
    def demo_command() -> None:
        """Send a test message from one force's node to another force's inbox and show it."""
        asyncio.run(run_demo(Settings()))
