"""`interforce acl plan`: the Kafka ACLs a federation needs, for a force's IT team to apply."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from interforce.security.acl import ADMIN_USER


class PlanFormat(StrEnum):
    """How `acl plan` prints the plan."""

    text = "text"
    json = "json"
    kafka_acls = "kafka-acls"


def build() -> typer.Typer:
    """The `acl` sub-app."""
    app = typer.Typer(
        help="The Kafka ACLs of a federation: each force reads its own inbox only and writes "
        "only to other forces' inboxes and its own dead-letter topic.",
        no_args_is_help=True,
    )
    app.callback()(acl_group)
    app.command("plan")(plan_command)
    return app


def acl_group() -> None:
    """Keeps `plan` a sub-command when this is the only app (e.g. in tests)."""


def plan_command(
    namespace: Annotated[
        str | None,
        typer.Option(
            help="Topic and group prefix (default: INTERFORCE_NAMESPACE, else interforce)."
        ),
    ] = None,
    output: Annotated[
        PlanFormat, typer.Option("--format", help="Output format.")
    ] = PlanFormat.text,
    admin_user: Annotated[
        str, typer.Option(help="The SASL user that creates the topics.")
    ] = ADMIN_USER,
) -> None:
    """Print the ACLs for every force in the directory (INTERFORCE_DIRECTORY).

    `--format kafka-acls` prints a shell script of `kafka-acls.sh --add` commands that
    reads BOOTSTRAP and COMMAND_CONFIG from the environment; applying it twice is harmless.
    """
    from pydantic import ValidationError

    from interforce.cli.force_database import read_directory
    from interforce.security.acl import acl_plan
    from interforce.security.acl_formats import as_json, as_kafka_acls, as_text
    from interforce.settings import Settings

    try:
        settings = Settings(namespace=namespace) if namespace else Settings()
    except ValidationError as error:
        raise typer.BadParameter(
            "must be lower-case letters, digits and _ (starting with a letter)",
            param_hint="--namespace",
        ) from error
    ns = settings.namespace
    codes = [force.code for force in read_directory(settings.directory).forces]
    entries = acl_plan(codes, ns, admin_user)
    if output is PlanFormat.json:
        typer.echo(as_json(entries, ns), nl=False)
    elif output is PlanFormat.kafka_acls:
        typer.echo(as_kafka_acls(entries, ns), nl=False)
    else:
        typer.echo(as_text(entries), nl=False)
