"""`interforce users`: the accounts that may sign in to a force's dashboard."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import asyncpg
import typer

from interforce.database import ensure_database, force_database_name
from interforce.node.identity import audit_signer
from interforce.settings import Settings
from interforce.web.accounts import AccountError, add_account, disable_account, list_accounts
from interforce.web.passwords import WeakPasswordError
from interforce.web.roles import Role
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.db import Connection
from ownership.adapters.migrator import migrate

T = TypeVar("T")
FORCE = typer.Option(None, "--force", "-f", help="Force code, e.g. WMP (or INTERFORCE_FORCE).")
USERNAME = typer.Argument(..., help="Lower-case sign-in name, e.g. j.smith.")
ROLE = typer.Option(..., "--role", help="coordinator, mappa_lead or auditor.")
NAME = typer.Option(..., "--name", help="The person's full name.")
PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from standard input (one line)."
)


def _on_force_database(force: str | None, work: Callable[[Connection], Awaitable[T]]) -> T:
    """Run ``work`` on the force's database, created and migrated if need be."""
    settings = Settings()
    code = (force or settings.force or "").upper()
    if not code:
        raise typer.BadParameter("name the force: --force CODE or INTERFORCE_FORCE")

    async def run() -> T:
        name = force_database_name(code, settings.namespace)
        url = await ensure_database(settings.server_database_url, name)
        connection = await asyncpg.connect(url)
        try:
            await migrate(connection)
            return await work(connection)
        finally:
            await connection.close()

    return asyncio.run(run())


def _signer(force: str | None) -> AuditSigner | None:
    """The force's key from the node's settings, sealing the audit row as the node would."""
    settings = Settings()
    return audit_signer(settings, (force or settings.force or "").upper())


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise typer.BadParameter("the two passwords differ")
    return str(first)


def build() -> typer.Typer:
    """The `users` sub-app."""
    app = typer.Typer(help="Dashboard accounts of a force.", no_args_is_help=True)

    @app.command("add")
    def add_command(
        username: str = USERNAME,
        role: Role = ROLE,
        name: str = NAME,
        password_stdin: bool = PASSWORD_STDIN,
        force: str | None = FORCE,
    ) -> None:
        """Add an account; asks for its password (12 characters at least)."""
        password = _password(password_stdin)

        async def work(connection: Connection) -> None:
            await add_account(
                connection, username=username, display_name=name, role=role,
                password=password, actor=_actor(), at=datetime.now(UTC), signer=_signer(force),
            )  # fmt: skip

        try:
            _on_force_database(force, work)
        except (AccountError, WeakPasswordError) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from error
        typer.echo(f"added {username} ({role.label})")

    @app.command("list")
    def list_command(force: str | None = FORCE) -> None:
        """List the accounts: username, role, name, and whether each is disabled."""
        for account in _on_force_database(force, list_accounts):
            state = f"disabled {account.disabled_at:%Y-%m-%d}" if account.disabled_at else "active"
            last = f"{account.last_sign_in_at:%Y-%m-%d %H:%M}" if account.last_sign_in_at else "-"
            typer.echo(
                f"{account.username}\t{account.role}\t{account.display_name}\t{state}\t"
                f"last sign-in {last}"
            )

    @app.command("disable")
    def disable_command(username: str, force: str | None = FORCE) -> None:
        """Stop an account signing in; its open sessions end at their next request."""

        async def work(connection: Connection) -> None:
            await disable_account(
                connection, username, actor=_actor(), at=datetime.now(UTC), signer=_signer(force)
            )

        try:
            _on_force_database(force, work)
        except AccountError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from error
        typer.echo(f"disabled {username}")

    return app
