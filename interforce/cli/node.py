"""`interforce node`, `interforce db` and `interforce audit`: run and look after a force's node."""

from __future__ import annotations

import contextlib
import json
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from interforce.cli.refusals import OperatorError

if TYPE_CHECKING:
    from interforce.settings import Settings

FORCE = typer.Option(None, "--force", "-f", help="Force code, e.g. WMP (or INTERFORCE_FORCE).")
PASSWORD_FILE = typer.Option(
    None,
    "--password-file",
    help="A file holding the role's password (one line); without it the role has none and"
    " must be let in by pg_hba (peer, cert).",
)


def build_node() -> typer.Typer:
    """The `node` sub-app."""
    app = typer.Typer(help="Run a force's node.", no_args_is_help=True)
    app.command("run")(run_command)
    app.command("health")(health_command)
    return app


def build_db() -> typer.Typer:
    """The `db` sub-app."""
    app = typer.Typer(help="The force's PostgreSQL database.", no_args_is_help=True)
    app.command("migrate")(migrate_command)
    app.command("role")(role_command)
    return app


def build_audit() -> typer.Typer:
    """The `audit` sub-app."""
    app = typer.Typer(help="The force's hash-chained audit log.", no_args_is_help=True)
    app.command("verify")(verify_command)
    return app


def run_command(force: str | None = FORCE) -> None:
    """Run the node: consume the inbox, relay the outbox, prune, answer health checks.

    Needs INTERFORCE_SIGNING_KEY (the force's key file) and, unless
    INTERFORCE_ENVIRONMENT=development, INTERFORCE_DIRECTORY (listing no
    test key); creates the force's database and topics when missing.
    SIGTERM or Ctrl-C stops it gracefully: in-flight work commits.
    """
    from interforce import event_loop
    from interforce.logging_setup import configure_logging
    from interforce.node.identity import IdentityError
    from interforce.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format == "json")
    try:
        event_loop.run(_run(settings, force), settings.event_loop)
    except IdentityError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error


async def _run(settings: Settings, force: str | None) -> None:
    import asyncio

    from interforce.bootstrap import node_services
    from interforce.node.identity import load_identity
    from interforce.node.preflight import check_node_settings
    from interforce.node.runtime import Node

    identity = load_identity(settings, force)
    check_node_settings(settings)
    node = Node(settings, identity, services=node_services(settings))
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await node.start()
    except Exception:
        # close what did start (pools, Kafka clients) so the error is the last word
        with contextlib.suppress(Exception):
            await node.stop()
        raise
    await stopping.wait()
    await node.stop()


def health_command(
    url: str = typer.Option("http://127.0.0.1:8080/health", help="The node's health URL."),
) -> None:
    """Ask a running node's health endpoint; exits 0 when healthy, 1 when not.

    Messages that can never be sent are reported as failed (`"outbox": "failed"`, each in
    `failed_messages`), with one line for each on standard error.
    """
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - operator's URL
            body = answer.read().decode()
            typer.echo(body)
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        typer.echo(body)
        _say_failed(body)
        raise typer.Exit(1) from error
    except OSError as error:
        typer.echo(f"error: cannot reach {url}: {error}", err=True)
        raise typer.Exit(1) from error
    except ValueError as error:
        raise OperatorError(f"--url {url} is not an http:// URL: {error}") from error
    _say_failed(body)


def _say_failed(body: str) -> None:
    """One line on standard error for each message the report names as failed."""
    import json

    try:
        report = json.loads(body)
    except ValueError:
        return
    failed = report.get("failed_messages") if isinstance(report, dict) else None
    for message in failed if isinstance(failed, list) else []:
        typer.echo(
            f"failed: {message.get('message_type')} to {message.get('recipient')} about"
            f" {message.get('reference')} can never be sent: {message.get('failure')}",
            err=True,
        )


def migrate_command(force: str | None = FORCE) -> None:
    """Create the force's database if needed and apply pending migrations (safe to repeat)."""
    import asyncio

    import asyncpg

    from interforce.cli.force_database import ForceDatabase
    from interforce.database import ensure_database
    from ownership.adapters.migrator import MigrationError, migrate

    database = ForceDatabase.named(force)

    async def run() -> list[str]:
        url = await ensure_database(database.settings.server_database_url, database.name)
        connection = await asyncpg.connect(url)
        try:
            return await migrate(connection)
        finally:
            await connection.close()

    try:
        applied = asyncio.run(run())
    except MigrationError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo("applied: " + ", ".join(applied) if applied else "up to date")


def role_command(
    force: str | None = FORCE,
    password_file: Path | None = PASSWORD_FILE,
) -> None:
    """Create or update the node's own role (run as a database administrator).

    Creates the force's database and applies migrations if needed, then makes
    `<database>_node` the owner of the force's tables except the audit log, on which it
    may only SELECT and INSERT, and the only role (but administrators) that may connect.
    Run it again after every upgrade. The node then runs with INTERFORCE_DATABASE_USER.
    """
    import asyncio

    import asyncpg

    from interforce.cli.force_database import ForceDatabase
    from ownership.adapters.migrator import MigrationError
    from ownership.adapters.node_role import node_role_name

    database = ForceDatabase.named(force)
    role = node_role_name(database.name)
    password = None
    if password_file is not None:
        password = password_file.read_text(encoding="utf-8").strip()
    try:
        asyncio.run(_grant_role(database.settings, database.name, role, password))
    except (MigrationError, asyncpg.PostgresError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(
        f"role {role} owns {database.name} (audit_log: select, insert only);"
        f" run the node with INTERFORCE_DATABASE_USER={role}"
    )


async def _grant_role(settings: Settings, name: str, role: str, password: str | None) -> None:
    """Create the force's database if needed, migrate it, and make `role` its node's role."""
    import asyncpg

    from interforce.database import ensure_database
    from ownership.adapters.migrator import migrate
    from ownership.adapters.node_role import grant_node_role

    url = await ensure_database(settings.server_database_url, name)
    connection = await asyncpg.connect(url)
    try:
        await migrate(connection)
        await grant_node_role(connection, name, role, password)
    finally:
        await connection.close()


def verify_command(
    force: str | None = FORCE,
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Check the audit log: its chain, the force key's signature on every append, and the
    signed checkpoints in the database and on the force's `<ns>.<force>.audit` topic.

    Names the first bad row, or the missing range of rows deleted from the end. Exits 1
    on tampering; 2 when the topic cannot be read (the rest is still checked).
    """
    import asyncio

    from interforce.audit import verification as audit_verification
    from interforce.cli.force_database import ForceDatabase, force_code
    from interforce.node.trust import UntrustedDirectoryError
    from interforce.settings import Settings

    settings = Settings()
    code = force_code(settings, force)
    url = ForceDatabase(settings, code).url
    try:
        verification = asyncio.run(audit_verification.verify_force(settings, code, url))
    except UntrustedDirectoryError as error:
        raise OperatorError(f"cannot verify the signatures: {error}") from error
    if as_json:
        typer.echo(json.dumps(audit_verification.as_json(verification)))
    else:
        for line in audit_verification.lines(verification):
            typer.echo(line)
    if verification.exit_code:
        raise typer.Exit(verification.exit_code)
