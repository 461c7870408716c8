"""`interforce keys`: rotate a force's signing key without downtime, or revoke one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from interforce.cli.refusals import OperatorError

DIRECTORY = typer.Option(
    None,
    "--directory",
    help="The force directory file to change (default: INTERFORCE_DIRECTORY, else the"
    " packaged one).",
)


def _directory_file(directory: Path | None) -> Path:
    from interforce.settings import Settings
    from schemas.directory import default_directory_path

    return directory or Settings().directory or default_directory_path()


def _moment(text: str | None, default: datetime) -> datetime:
    if text is None:
        return default
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(f"{text!r} is not an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{text!r} has no time zone (add Z or +01:00)")
    return moment


def build() -> typer.Typer:
    """The `keys` sub-app."""
    app = typer.Typer(help="A force's Ed25519 signing keys.", no_args_is_help=True)
    app.command("rotate")(rotate_command)
    app.command("revoke")(revoke_command)
    return app


def rotate_command(
    force: Annotated[str, typer.Option("--force", "-f", help="Force code, e.g. WMP.")],
    keys_dir: Annotated[
        Path,
        typer.Option(
            "--keys-dir", help="The force's key folder (its INTERFORCE_SIGNING_KEYS_DIR)."
        ),
    ],
    directory: Path | None = DIRECTORY,
    valid_from: Annotated[
        str | None,
        typer.Option(
            "--valid-from",
            help="When the new key starts signing (ISO 8601; default: in one hour, so"
            " every force has the new directory before the first message signed with it).",
        ),
    ] = None,
    valid_days: Annotated[
        int, typer.Option("--valid-days", min=1, help="Days the new key is valid.")
    ] = 365,
) -> None:
    """Add a new key to the force's directory entry; the old keys stay valid (overlap).

    Nodes signing from the key folder switch to the new key once it is valid; receivers
    accept both until the old key's window ends. The private key is never printed.
    """
    from interforce.key_rotation import KeyAdminError, rotate

    code = force.upper()
    start = _moment(valid_from, datetime.now(UTC) + timedelta(hours=1))
    file = _directory_file(directory)
    try:
        rotated = rotate(file, keys_dir, code, start, valid_days)
    except KeyAdminError as error:
        raise OperatorError(str(error)) from error
    typer.echo(
        f"{code}: new key {rotated.kid}, valid {rotated.not_before.isoformat()} to "
        f"{rotated.not_after.isoformat()}; private key in {rotated.key_file} (0600); "
        f"public key listed in {file}"
    )


def revoke_command(
    force: Annotated[str, typer.Option("--force", "-f", help="Force code, e.g. WMP.")],
    kid: Annotated[str, typer.Option("--kid", help="The key id to revoke.")],
    directory: Path | None = DIRECTORY,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When the revocation takes effect (ISO 8601; default now)."),
    ] = None,
) -> None:
    """Revoke a key: from `--at` on, every message signed with it is dead-lettered."""
    from interforce.key_rotation import KeyAdminError, revoke

    code = force.upper()
    moment = _moment(at, datetime.now(UTC))
    file = _directory_file(directory)
    try:
        revoke(file, code, kid, moment)
    except KeyAdminError as error:
        raise OperatorError(str(error)) from error
    typer.echo(f"{code}: key {kid} revoked from {moment.isoformat()} in {file}")
