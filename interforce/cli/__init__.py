"""The `interforce` command: one Typer app with a sub-app per area.

Building the command tree imports only Typer, the standard library and the domain's enums
(the options' types): every command imports what it uses (the clients, pydantic, the wire
models, the web app) when it runs, so `interforce --help` starts at once.
"""

from __future__ import annotations

import os
import sys

import typer

from interforce.cli import (
    acl,
    bench,
    conflict,
    demo,
    key_commands,
    message,
    node,
    reconcile,
    records,
    schemas,
    services,
    tasks,
    transfer,
    users,
)
from interforce.cli.refusals import RefusingGroup
from interforce.logging_setup import UnknownLogLevelError, configure_logging


def build_app() -> typer.Typer:
    """Assemble the command tree; nothing is built at import time.

    Errors an operator can fix print one line and exit 2 (usage, a setting, the set-up) or 1
    (a service not reachable): see `interforce.cli.refusals`.
    """
    app = typer.Typer(
        cls=RefusingGroup,
        name="interforce",
        help="Hand the management of a registered offender from one police force to another.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        # plain help and usage errors: Rich's formatting costs more than the rest of the start
        rich_markup_mode=None,
    )
    app.add_typer(services.build(), name="services")
    app.add_typer(schemas.build(), name="schemas")
    app.add_typer(message.build(), name="message")
    app.add_typer(node.build_node(), name="node")
    app.add_typer(node.build_db(), name="db")
    app.add_typer(node.build_audit(), name="audit")
    app.add_typer(users.build(), name="users")
    app.add_typer(acl.build(), name="acl")
    app.add_typer(key_commands.build(), name="keys")
    app.add_typer(records.build(), name="record")
    app.add_typer(transfer.build(), name="transfer")
    app.add_typer(conflict.build(), name="conflict")
    app.add_typer(tasks.build(), name="task")
    records.register(app)
    reconcile.register(app)
    demo.register(app)
    bench.register(app)
    return app


def main() -> None:
    """Console-script entry point.

    A command logs warnings and errors only (a coordinator's terminal is not a log file)
    unless `INTERFORCE_LOG_LEVEL` asks for more; `node run` logs at its own setting.
    """
    try:
        configure_logging(os.environ.get("INTERFORCE_LOG_LEVEL", "WARNING"))
    except UnknownLogLevelError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    build_app()()
