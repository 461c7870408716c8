"""What every casework command does: open a desk at the force, run, and say what it did.

A command runs against the force's database (`interforce_<force>` on the server that
`INTERFORCE_DATABASE_URL` names) through the message bus, so its change, its outgoing
messages and its audit rows commit together; the force's running node sends the messages.
The commands import this module when they run, not when the command tree is built.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, TypeVar

import asyncpg
import typer

from interforce.cli.force_database import ForceDatabase, force_code
from interforce.cli.refusals import OperatorError
from interforce.node.casework import execute
from interforce.node.identity import audit_signer
from interforce.settings import Settings
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.views import stored_record
from ownership.domain.commands import Command
from ownership.domain.errors import DomainError
from ownership.domain.events import Event, OutgoingEvent
from ownership.domain.record import OffenderRecord
from ownership.domain.values import Contact, check_contacts
from producers.translation import UntranslatableEventError, outgoing_message
from schemas.safe_text import safe_text

T = TypeVar("T")


@dataclass(frozen=True)
class Desk:
    """One person at one force's database."""

    settings: Settings
    force: str
    user: str

    @property
    def database(self) -> ForceDatabase:
        return ForceDatabase(self.settings, self.force)

    @property
    def url(self) -> str:
        return self.database.url

    @asynccontextmanager
    async def pool(self) -> AsyncIterator[asyncpg.Pool]:
        try:
            pool = await asyncpg.create_pool(self.url, min_size=1, max_size=2)
        except asyncpg.InvalidCatalogNameError as error:
            raise self.database.missing() from error
        try:
            yield pool
        finally:
            await pool.close()

    def now(self) -> datetime:
        return datetime.now(UTC)

    @cached_property
    def signer(self) -> AuditSigner | None:
        """Seals this desk's audit rows with the force's key, as the node does (see
        `audit_log`); without the key settings its rows are unsigned, and said so."""
        signer = audit_signer(self.settings, self.force)
        if signer is None:
            typer.echo(
                "warning: no usable INTERFORCE_SIGNING_KEY or INTERFORCE_SIGNING_KEYS_DIR: this"
                " command's audit rows are unsigned, and `interforce audit verify` will report"
                " them as rows appended without the force's key",
                err=True,
            )
        return signer


def open_desk(force: str | None, user: str | None) -> Desk:
    """The desk for ``--force`` and ``--as`` (or their environment variables)."""
    settings = Settings()
    code = force_code(settings, force)
    if not user:
        raise OperatorError("say who is acting: --as NAME or INTERFORCE_USER")
    return Desk(settings, code, user)


def run_async(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``work``; a domain error is a one-line refusal and exit 1.

    A missing database or an unreachable server is the root command's one line (exit 2, 1).
    """
    try:
        return asyncio.run(work())
    except DomainError as error:
        typer.echo(f"refused: {error.code}: {error}", err=True)
        raise typer.Exit(1) from error
    except UntranslatableEventError as error:
        typer.echo(f"refused: untranslatable: {error}", err=True)
        raise typer.Exit(1) from error


def perform(
    desk: Desk,
    command: Command,
    *,
    as_json: bool,
    reason: str | None = None,
    describe: Callable[[list[Event]], dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Run one casework command and say what it did (and what ``describe`` finds in its
    events, as more keys of the JSON or more lines of text; ``extra`` joins the JSON answer)."""

    async def work() -> list[Event]:
        async with desk.pool() as pool:
            return await execute(
                pool, command, force=desk.force, actor=desk.user, reason=reason,
                translate=outgoing_message, signer=desk.signer,
            )  # fmt: skip

    events = run_async(work)
    sent = [e for e in events if isinstance(e, OutgoingEvent)]
    result: dict[str, Any] = {
        "ok": True,
        "force": desk.force,
        "reference": command.reference,
        "events": [type(e).__name__ for e in events],
        "messages": [{"to": e.recipient, "event": type(e).__name__} for e in sent],
        **(extra or {}),
    }
    described = describe(events) if describe is not None else {}
    if as_json:
        typer.echo(json.dumps(result | described))
        return
    typer.echo(f"{command.reference}: " + ", ".join(in_words(name) for name in result["events"]))
    for message in result["messages"]:
        typer.echo(f"  a message to {message['to']}: {in_words(message['event'])}")
    for key, value in described.items():
        typer.echo(f"{key.replace('_', ' ')}: {value}")


def in_words(name: str) -> str:
    """A class name as the words a coordinator reads: `TransferStarted` is "transfer started"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


async def load(pool: asyncpg.Pool, reference: str) -> OffenderRecord | None:
    """The record as stored, read only."""
    return await stored_record(pool, reference)


def contact(text: str | None, organisation: str) -> Contact | None:
    """A contact from "name, role, telephone[, email]"."""
    if text is None:
        return None
    parts = [part.strip() for part in text.split(",")]
    if len(parts) < 3 or not all(parts[:3]):
        shown = safe_text(text, 80)
        raise typer.BadParameter(f"a contact is 'name, role, telephone[, email]', not {shown}")
    parts += [""] * (4 - len(parts))
    given = Contact(parts[0], parts[1], organisation, parts[2], parts[3])
    try:
        check_contacts(given)
    except DomainError as error:
        raise typer.BadParameter(str(error)) from error
    return given
