"""`interforce users`: the accounts that may sign in to a force's dashboard."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer

from interforce.web.roles import Role

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from interforce.cli.force_database import ForceDatabase
    from ownership.adapters.db import Connection

FORCE = typer.Option(None, "--force", "-f", help="Force code, e.g. WMP (or INTERFORCE_FORCE).")
USERNAME = typer.Argument(..., help="Lower-case sign-in name, e.g. j.smith.")
ROLE = typer.Option(..., "--role", help="coordinator, mappa_lead or auditor.")
NAME = typer.Option(..., "--name", help="The person's full name.")
PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from standard input (one line)."
)


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
    app.command("add")(add_command)
    app.command("list")(list_command)
    app.command("disable")(disable_command)
    app.command("password")(password_command)
    return app


def add_command(
    username: str = USERNAME,
    role: Role = ROLE,
    name: str = NAME,
    password_stdin: bool = PASSWORD_STDIN,
    force: str | None = FORCE,
) -> None:
    """Add an account; asks for its password (12 characters at least)."""
    from interforce.cli.force_database import ForceDatabase
    from interforce.node.identity import audit_signer
    from interforce.web.accounts import add_account

    database = ForceDatabase.named(force)
    password = _password(password_stdin)

    async def work(connection: Connection) -> None:
        await add_account(
            connection, username=username, display_name=name, role=role,
            password=password, actor=_actor(), at=datetime.now(UTC),
            signer=audit_signer(database.settings, database.code),
        )  # fmt: skip

    _run_refusing(database, work)
    typer.echo(f"added {username} ({role.label})")


def list_command(force: str | None = FORCE) -> None:
    """List the accounts: username, role, name, and whether each is disabled."""
    from interforce.cli.force_database import ForceDatabase
    from interforce.web.accounts import list_accounts

    for account in ForceDatabase.named(force).run(list_accounts):
        state = f"disabled {account.disabled_at:%Y-%m-%d}" if account.disabled_at else "active"
        last = f"{account.last_sign_in_at:%Y-%m-%d %H:%M}" if account.last_sign_in_at else "-"
        typer.echo(
            f"{account.username}\t{account.role}\t{account.display_name}\t{state}\t"
            f"last sign-in {last}"
        )


def disable_command(username: str, force: str | None = FORCE) -> None:
    """Stop an account signing in, and end its sessions on every instance at once."""
    from interforce.cli.force_database import ForceDatabase
    from interforce.node.identity import audit_signer
    from interforce.web.accounts import disable_account

    database = ForceDatabase.named(force)

    async def work(connection: Connection) -> None:
        await disable_account(
            connection, username, actor=_actor(), at=datetime.now(UTC),
            signer=audit_signer(database.settings, database.code),
        )  # fmt: skip

    _run_refusing(database, work)
    typer.echo(f"disabled {username}")


def password_command(
    username: str = USERNAME,
    password_stdin: bool = PASSWORD_STDIN,
    force: str | None = FORCE,
) -> None:
    """Give an account a new password (asked for); its sessions end at once."""
    from interforce.cli.force_database import ForceDatabase
    from interforce.node.identity import audit_signer
    from interforce.web.accounts import set_password

    database = ForceDatabase.named(force)
    password = _password(password_stdin)

    async def work(connection: Connection) -> None:
        await set_password(
            connection, username, password, actor=_actor(), at=datetime.now(UTC),
            signer=audit_signer(database.settings, database.code),
        )  # fmt: skip

    _run_refusing(database, work)
    typer.echo(f"new password for {username}; their sessions have ended")


def _run_refusing(database: ForceDatabase, work: Callable[[Connection], Awaitable[None]]) -> None:
    """Run `work` on the force's database; a refused account change is one line, exit 1."""
    from interforce.web.accounts import AccountError
    from interforce.web.passwords import WeakPasswordError

    try:
        database.run(work)
    except (AccountError, WeakPasswordError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
