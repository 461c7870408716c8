"""`interforce transfer handover-*`: a hand-over by hand to an authority that runs no node.

Police Scotland (PSOS), the PSNI, the Isle of Man (IOM), Jersey (JSY), Guernsey (GSY) and,
for a move abroad, the National Crime Agency (NCA) are listed in the directory as
authorities: a transfer to one (`transfer start --to PSOS`) is reviewed as usual, then the
owner records each step here, since nothing can be sent to them, and ends it with
`transfer commit`. The record is then managed by the authority.

Also here: what `transfer start --to` makes of its code, since a code in neither list is
refused before anything is written, with the nearest codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interforce.cli.options import ForceOption, JsonOption, UserOption

if TYPE_CHECKING:
    from interforce.cli.desk import Desk
    from ownership.domain.transfer import AuthorityExchange

UNKNOWN_RECEIVER = "unknown_receiver"

Reference = Annotated[str, typer.Argument(help="The offender reference.")]
TransferId = Annotated[str, typer.Argument(help="The transfer id.")]
When = Annotated[
    str | None,
    typer.Option(
        "--when",
        help="When it happened: YYYY-MM-DD HH:MM (UK time unless an offset is given);"
        " now if not given. Never in the future.",
    ),
]
How = Annotated[str, typer.Option("--how", help="How: telephone, secure email, letter...")]


def receiver(desk: Desk, code: str) -> tuple[str, str | None]:
    """The receiver's code and, for an authority that runs no node, its name.

    A code in neither the directory's forces nor its authorities is refused (exit 1) with
    the nearest codes listed.
    """
    from interforce.cli.force_database import read_directory

    directory = read_directory(desk.settings.directory)
    wanted = code.strip().upper()
    if directory.force(wanted) is not None:
        return wanted, None
    authority = directory.authority(wanted)
    if authority is not None:
        return wanted, authority.name
    nearest = directory.nearest_codes(wanted)
    hint = f"; did you mean {', '.join(nearest)}?" if nearest else ""
    typer.echo(
        f"refused: {UNKNOWN_RECEIVER}: {wanted} is neither a force nor an authority in the"
        f" directory{hint} (`interforce transfer authorities` lists the authorities)",
        err=True,
    )
    raise typer.Exit(1)


def exchange(
    who: str, when: str | None, how: str = "", reference: str = "", *, now: datetime
) -> AuthorityExchange:
    """One exchange with an authority; ``when`` is parsed, in UK time if it has no offset."""
    from zoneinfo import ZoneInfo

    from ownership.domain.transfer import AuthorityExchange

    if not who.strip():
        raise typer.BadParameter("say who at the authority: --who NAME")
    at = now
    if when is not None:
        try:
            at = datetime.fromisoformat(when.strip())
        except ValueError as error:
            raise typer.BadParameter(f"--when is YYYY-MM-DD HH:MM, not {when!r}") from error
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo("Europe/London"))
        if at > now:
            raise typer.BadParameter(f"--when {when} is in the future")
    return AuthorityExchange(at, who.strip(), how.strip(), reference.strip())


@dataclass(frozen=True)
class AuthorityStep:
    """What a coordinator types for one step of a hand-over by hand."""

    reference: str
    transfer_id: str
    who: str
    when: str | None
    how: str
    their_reference: str


def _record_step(
    command_type: type[Any],
    step: AuthorityStep,
    force: str | None,
    user: str | None,
    *,
    as_json: bool,
) -> None:
    """Record one step of a hand-over by hand (told, acknowledged, accepted) on the transfer."""
    from interforce.cli.desk import open_desk, perform

    desk = open_desk(force, user)
    now = desk.now()
    command = command_type(
        reference=step.reference,
        at=now,
        by=desk.user,
        transfer_id=step.transfer_id,
        exchange=exchange(step.who, step.when, step.how, step.their_reference, now=now),
    )
    perform(desk, command, as_json=as_json)


def told_command(
    reference: Reference,
    transfer_id: TransferId,
    who: Annotated[str, typer.Option("--who", help="Who at the authority was told.")],
    how: How,
    when: When = None,
    their_reference: Annotated[
        str, typer.Option("--reference", help="The authority's reference, if it gave one.")
    ] = "",
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record how and when the authority (it runs no node) was told of the reviewed move.

    The first step after the review of a transfer to an authority (Police Scotland, the
    PSNI, ...); then `handover-acknowledged`, `handover-accepted` and `commit`.
    """
    from ownership.domain import commands as c

    step = AuthorityStep(reference, transfer_id, who, when, how, their_reference)
    _record_step(c.RecordAuthorityTold, step, force, user, as_json=as_json)


def acknowledged_command(
    reference: Reference,
    transfer_id: TransferId,
    who: Annotated[str, typer.Option("--who", help="Who at the authority acknowledged.")],
    their_reference: Annotated[
        str, typer.Option("--reference", help="The authority's reference for the case.")
    ],
    when: When = None,
    how: Annotated[str, typer.Option("--how", help="How it answered.")] = "",
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the authority's acknowledgement of the move: who, when, its reference."""
    from ownership.domain import commands as c

    if not their_reference.strip():
        raise typer.BadParameter("an acknowledgement needs the authority's --reference")
    step = AuthorityStep(reference, transfer_id, who, when, how, their_reference)
    _record_step(c.RecordAuthorityAcknowledgement, step, force, user, as_json=as_json)


def accepted_command(
    reference: Reference,
    transfer_id: TransferId,
    who: Annotated[str, typer.Option("--who", help="Who at the authority accepted.")],
    when: When = None,
    their_reference: Annotated[
        str, typer.Option("--reference", help="The authority's reference, if new.")
    ] = "",
    how: Annotated[str, typer.Option("--how", help="How it answered.")] = "",
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the authority's acceptance of the offender; then `transfer commit` hands over."""
    from ownership.domain import commands as c

    step = AuthorityStep(reference, transfer_id, who, when, how, their_reference)
    _record_step(c.RecordAuthorityAcceptance, step, force, user, as_json=as_json)


def returned_command(
    reference: Reference,
    who: Annotated[str, typer.Option("--who", help="Who at the authority handed back.")],
    how: How,
    when: When = None,
    their_reference: Annotated[
        str, typer.Option("--reference", help="The authority's reference, if it gave one.")
    ] = "",
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that the authority managing the offender handed them back: we own it again.

    For a record handed over by hand (`record show` says "managed by ..."); it is then
    owned here at the next epoch, and may be moved again.
    """
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.RecordReturnFromAuthority(
        reference=reference, at=desk.now(), by=desk.user,
        exchange=exchange(who, when, how, their_reference, now=desk.now()),
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def authorities_command(as_json: JsonOption = False) -> None:
    """The authorities outside the federation (they run no node): hand-overs go by hand."""
    import json

    from interforce.cli.force_database import read_directory
    from interforce.settings import Settings

    listed = read_directory(Settings().directory).authorities
    if as_json:
        typer.echo(json.dumps([a.model_dump(mode="json") for a in listed]))
        return
    for authority in listed:
        typer.echo(f"{authority.code:<5} {authority.name} ({authority.covers})")
