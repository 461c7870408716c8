"""`interforce message`: check or sign one message file against the force directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from schemas.limits import DEFAULT_MAX_MESSAGE_BYTES
from schemas.safe_text import safe_text

if TYPE_CHECKING:
    from schemas.directory import ForceDirectory

DirectoryOption = Annotated[
    Path | None,
    typer.Option(
        "--directory",
        envvar="INTERFORCE_DIRECTORY",
        help="Force directory file; defaults to the packaged test and demo directory.",
    ),
]


def build() -> typer.Typer:
    """The `message` sub-app."""
    app = typer.Typer(
        help="Check or sign a single message file (a CloudEvents JSON envelope).",
        no_args_is_help=True,
    )
    app.command("check")(check_command)
    app.command("sign")(sign_command)
    return app


def check_command(
    file: Annotated[Path, typer.Argument(help="The message file, as it would be on Kafka.")],
    as_force: Annotated[
        str | None,
        typer.Option("--as", help="Check as this force's node, e.g. WMP; default: any force."),
    ] = None,
    directory: DirectoryOption = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest message accepted.")
    ] = DEFAULT_MAX_MESSAGE_BYTES,
) -> None:
    """Validate one message: prints `ok <type> <version>`, or the reason and exits 1.

    Whatever the file holds, the answer is one line: a file that makes the check itself
    fail prints `internal-error: <exception type>: ...` and exits 1 too.
    """
    from schemas.errors import MessageRejected
    from schemas.registry import Registry

    registry = Registry(_directory(directory), force=as_force, max_message_bytes=max_bytes)
    raw = _read(file)
    try:
        received = registry.receive(raw)
    except MessageRejected as rejection:
        where = f" at {rejection.pointer}" if rejection.pointer else ""
        typer.echo(f"{rejection.reason}: {rejection.detail}{where}", err=True)
        raise typer.Exit(1) from None
    except Exception as error:  # a fault of ours: one line, never a traceback
        detail = safe_text(f"{type(error).__name__} while checking: {error}")
        typer.echo(f"internal-error: {detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"ok {received.message_type} {received.version}")


def sign_command(
    file: Annotated[Path, typer.Argument(help="The message file; any signature is replaced.")],
    key: Annotated[
        Path, typer.Option("--key", help="Key file (JSON with kid, force and private_key).")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Sign one message with a force's key, setting `kid` from the key file."""
    import rfc8785

    from schemas.errors import MessageRejected
    from schemas.jsonio import parse_message_bytes
    from schemas.signing import load_signing_key, sign_envelope

    try:
        signing_key = load_signing_key(key)
    except OSError as error:
        _fail(f"cannot read the key file {key}: {error.strerror or type(error).__name__}")
    except (ValueError, KeyError, TypeError) as error:
        _fail(f"{key} is not a key file (JSON with kid, force and private_key): {error}")
    try:
        envelope = parse_message_bytes(_read(file))
    except MessageRejected as rejection:
        typer.echo(f"{rejection.reason}: {rejection.detail}", err=True)
        raise typer.Exit(1) from None
    if not isinstance(envelope, dict) or envelope.get("source") != signing_key.force:
        typer.echo(f"error: the message's source is not {signing_key.force}", err=True)
        raise typer.Exit(1)
    try:
        signed = sign_envelope(envelope, signing_key)
    except (ValueError, TypeError, rfc8785.CanonicalizationError) as error:
        _fail(f"the message cannot be signed: {type(error).__name__}: {error}")
    text = json.dumps(signed, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _directory(path: Path | None) -> ForceDirectory:
    from schemas.directory import load_directory

    try:
        return load_directory(path)
    except (OSError, ValueError) as error:
        where = path or "(packaged)"
        _fail(f"cannot read the force directory {where}: {type(error).__name__}: {error}")


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        _fail(f"cannot read {file}: {error.strerror or type(error).__name__}")


def _fail(message: str) -> NoReturn:
    """One line on standard error, bounded and escaped, and exit 2: the check could not run."""
    typer.echo(f"error: {safe_text(message)}", err=True)
    raise typer.Exit(2)
