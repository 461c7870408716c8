"""The `interforce` command: one Typer app with a sub-app per area."""

from __future__ import annotations

import logging

import typer

from interforce.cli import demo, message, schemas, services


def build_app() -> typer.Typer:
    """Assemble the command tree; nothing is built at import time."""
    app = typer.Typer(
        name="interforce",
        help="Hand the management of a registered offender from one police force to another.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    app.add_typer(services.build(), name="services")
    app.add_typer(schemas.build(), name="schemas")
    app.add_typer(message.build(), name="message")
    demo.register(app)
    return app


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # aiokafka narrates every group join at INFO; its warnings are what an operator needs.
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    build_app()()
