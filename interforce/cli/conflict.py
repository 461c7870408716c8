"""`interforce conflict`: a conflict over who owns a record, resolved by its two parties.

A coordinator of one party proposes who owns at a new epoch (`propose`); a coordinator of
the other confirms (`confirm`) or rejects (`reject`) it. Only a confirmation changes
ownership: the confirming force's record at once, the proposer's when the confirmation
arrives. A refusal prints `refused: <code>: <why>` on standard error and exits 1.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interforce.cli.options import ForceOption, JsonOption, UserOption

if TYPE_CHECKING:
    from ownership.domain.events import Event

Reference = Annotated[str, typer.Argument(help="The offender reference.")]
ProposalId = Annotated[str, typer.Argument(help="The proposal's id, as `propose` printed it.")]
Reason = Annotated[str, typer.Option(help="Why, in words, for the other party's coordinator.")]


def build() -> typer.Typer:
    """The `conflict` sub-app."""
    app = typer.Typer(
        help="Resolve a conflict over who owns a record: one party proposes, the other confirms.",
        no_args_is_help=True,
    )
    app.command("propose")(propose_command)
    app.command("confirm")(confirm_command)
    app.command("reject")(reject_command)
    return app


def _proposal(events: list[Event]) -> dict[str, Any]:
    from ownership.domain.events import ResolutionProposed

    [proposed] = [e for e in events if isinstance(e, ResolutionProposed)]
    return {"proposal_id": proposed.message_id, "owner": proposed.owner, "epoch": proposed.epoch}


def _resolution(events: list[Event]) -> dict[str, Any]:
    from ownership.domain.events import ConflictResolved

    resolved = [e for e in events if isinstance(e, ConflictResolved)]
    if not resolved:
        return {}
    done = resolved[0]
    return {"owner": done.owner, "epoch": done.epoch, "transfers_ended": list(done.transfers_ended)}


def _proposal_id(given: str | None) -> str:
    if given is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(given))
    except ValueError as error:
        raise typer.BadParameter(f"a proposal id is a UUID, not {given!r}") from error


def propose_command(
    reference: Reference,
    with_force: Annotated[
        str, typer.Option("--with", help="The other party to the conflict, e.g. WMP.")
    ],
    owner: Annotated[str, typer.Option(help="The force that should own the record: a party.")],
    reason: Reason,
    epoch: Annotated[
        int | None,
        typer.Option(help="The new epoch; by default one above every epoch this force has seen."),
    ] = None,
    proposal_id: Annotated[
        str | None, typer.Option("--id", help="The proposal's id; a new UUID if not given.")
    ] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose to the other party who owns the record at a new epoch; nothing changes yet."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.ProposeResolution(
        reference=reference, at=desk.now(), by=desk.user,
        proposal_id=_proposal_id(proposal_id), counterpart=with_force.upper(),
        owner=owner.upper(), epoch=epoch, reason=reason,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=reason, describe=_proposal)


def confirm_command(
    reference: Reference,
    proposal_id: ProposalId,
    reason: Reason,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm the other party's proposal: this force's record takes its owner and epoch."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.ConfirmResolution(
        reference=reference, at=desk.now(), by=desk.user, proposal_id=proposal_id, reason=reason
    )
    perform(desk, command, as_json=as_json, reason=reason, describe=_resolution)


def reject_command(
    reference: Reference,
    proposal_id: ProposalId,
    reason: Reason,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject the other party's proposal; the record stays in conflict."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.RejectResolution(
        reference=reference, at=desk.now(), by=desk.user, proposal_id=proposal_id, reason=reason
    )
    perform(desk, command, as_json=as_json, reason=reason)
