"""`interforce reconcile`: ask the counterparts who owns each offender shared with them.

The queries go out through the outbox, so the force's node must be running to send them
and to apply the answers; `--wait` waits for every answer and lists the conflicts raised.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interforce.cli.options import ForceOption, JsonOption, UserOption

SETTLE_SETTING = "INTERFORCE_RECONCILE_SETTLE_SECONDS"
"""The setting that says how long a record that moved waits before it is compared."""

if TYPE_CHECKING:
    from interforce.cli.desk import Desk
    from interforce.node.reconciliation import RaisedConflict


def register(app: typer.Typer) -> None:
    """Add the `reconcile` command to the root app."""
    app.command("reconcile")(reconcile_command)


def reconcile_command(
    counterpart: Annotated[
        str | None, typer.Option("--with", help="Only this counterpart force.")
    ] = None,
    wait: Annotated[
        float,
        typer.Option(help="Seconds to wait for every answer (0: send and return)."),
    ] = 0.0,
    settle: Annotated[
        float | None,
        typer.Option(
            help="Leave out records that moved this many seconds ago or less (default"
            " INTERFORCE_RECONCILE_SETTLE_SECONDS); the output counts those left out."
        ),
    ] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask each counterpart which owner and epoch it holds; raise every disagreement.

    Records that moved within the settle window are left out (a message about them may
    still be on its way) and counted, so that "nothing asked" never hides them.
    Exits 1 if an answer raised a conflict, 2 if an answer did not come within --wait.
    """
    from interforce.cli.desk import open_desk, run_async

    desk = open_desk(force, user)
    seconds = desk.settings.reconcile_settle_seconds if settle is None else settle
    result = run_async(lambda: _reconcile(desk, counterpart, wait, timedelta(seconds=seconds)))
    result["settle_seconds"] = seconds
    result["settle_setting"] = "--settle" if settle is not None else SETTLE_SETTING
    _report(result, as_json)
    if result["conflicts"]:
        raise typer.Exit(1)
    if result["waiting_for"]:
        raise typer.Exit(2)


async def _reconcile(
    desk: Desk, counterpart: str | None, wait: float, settle: timedelta
) -> dict[str, Any]:
    import asyncio

    from interforce.cli.force_database import read_directory
    from interforce.node.reconciliation import (
        answers_applied,
        ask_counterparts,
        conflicts_raised_by,
        expected_answers,
        left_to_settle,
    )

    now, only = desk.now(), counterpart.upper() if counterpart else None
    no_node = frozenset(a.code for a in read_directory(desk.settings.directory).authorities)
    async with desk.pool() as pool:
        queries = await ask_counterparts(
            pool, force=desk.force, actor=desk.user, clock=lambda: now, settle=settle,
            counterpart=only, signer=desk.signer, no_node=no_node,
        )  # fmt: skip
        unsettled = await left_to_settle(pool, settled_before=now - settle, counterpart=only)
        answers = expected_answers(queries)
        applied: set[str] = set()
        deadline = time.monotonic() + wait
        while wait > 0 and applied != set(answers) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            applied = await answers_applied(pool, answers)
        raised = await conflicts_raised_by(pool, applied) if applied else []
    return {
        "force": desk.force,
        "asked": {q.recipient: len(q.offenders) for q in queries},
        "answered": sorted({answers[a] for a in applied}),
        "waiting_for": sorted({answers[a] for a in set(answers) - applied}) if wait > 0 else [],
        "conflicts": [_conflict(c) for c in raised],
        "unsettled": {f: len(refs) for f, refs in unsettled.items()},
        "unsettled_offenders": len({ref for refs in unsettled.values() for ref in refs}),
    }


def _conflict(raised: RaisedConflict) -> dict[str, Any]:
    conflict = raised.conflict
    return {
        "reference": raised.reference,
        "kind": str(conflict.kind),
        "epoch": conflict.epoch,
        "held_owner": conflict.held_owner,
        "claimed_owner": conflict.claimed_owner,
        "counterpart": conflict.claimed_by,
    }


def _report(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result))
        return
    asked = result["asked"]
    if not asked and not result["unsettled_offenders"]:
        typer.echo("no offenders shared with any counterpart")
    if result["unsettled_offenders"]:
        typer.echo(_unsettled_line(result))
    for force, count in asked.items():
        typer.echo(f"asked {force} about {count} offenders")
    for force in result["answered"]:
        typer.echo(f"{force} answered")
    for force in result["waiting_for"]:
        typer.echo(f"no answer yet from {force}")
    for c in result["conflicts"]:
        typer.echo(
            f"CONFLICT {c['kind']} {c['reference']} epoch {c['epoch']}: we hold "
            f"{c['held_owner']}, {c['counterpart']} holds {c['claimed_owner'] or 'no record'}"
        )


def _unsettled_line(result: dict[str, Any]) -> str:
    count, seconds = result["unsettled_offenders"], result["settle_seconds"]
    forces = ", ".join(f"{f}: {n}" for f, n in result["unsettled"].items())
    return (
        f"left out {count} shared offender{'' if count == 1 else 's'} ({forces}): moved"
        f" within the settle window of {seconds:g} s ({result['settle_setting']});"
        " compared at the next run"
    )
