"""`interforce task`: what a person at this force must do about its records, and closing it.

The tasks are worked out from each record (`ownership.domain.tasks`): a receiving force's
word that the offender never arrived (whereabouts unknown), evidence that the offender left
the address, an arrival overdue at the receiving force, a transfer that lapsed. Immediate
action comes first. Listing them is audited, like any view of the records.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from interforce.cli.options import ForceOption, JsonOption, UserOption
from ownership.domain.task_kinds import TaskKind, TaskOutcome

if TYPE_CHECKING:
    from interforce.cli.desk import Desk
    from ownership.domain.tasks import Task


def build() -> typer.Typer:
    """The `task` sub-app."""
    app = typer.Typer(help="Tasks on the worklist: list them, close them.", no_args_is_help=True)
    app.command("list")(list_command)
    app.command("close")(close_command)
    return app


def list_command(
    kind: Annotated[TaskKind | None, typer.Option(help="Only tasks of this kind.")] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every open task, immediate action first, each with its due time and what closes it."""
    from interforce.cli.desk import open_desk, run_async
    from interforce.cli.task_rows import task_dict, task_line

    desk = open_desk(force, user)
    now = desk.now()
    found = [t for t in run_async(lambda: open_tasks(desk, now)) if kind is None or t.kind is kind]
    if as_json:
        typer.echo(json.dumps([task_dict(task, now) for task in found]))
        return
    if not found:
        typer.echo("no open tasks")
    for task in found:
        typer.echo(task_line(task, now))


async def open_tasks(desk: Desk, now: datetime) -> list[Task]:
    """Every record's open tasks, in the worklist's order; the listing is audited."""
    from interforce.node.deadlines import service_levels
    from ownership.adapters.audit_log import AuditEntry, append_entries
    from ownership.adapters.views import all_records
    from ownership.domain.tasks import task_order

    levels = service_levels(desk.settings)
    async with desk.pool() as pool, pool.acquire() as connection, connection.transaction():
        records = await all_records(connection)
        entry = AuditEntry(
            actor=desk.user, action="tasks.listed", at=now, reason="task list",
            disclosed_to=desk.user,
            detail={"via": "cli", "force": desk.force, "records": len(records)},
        )  # fmt: skip
        await append_entries(connection, [entry], signer=desk.signer)
    return sorted((t for r in records for t in r.tasks(now, levels)), key=task_order)


def close_command(
    reference: Annotated[str, typer.Argument(help="The offender reference.")],
    task_id: Annotated[str, typer.Argument(help="The task's id, as `task list` shows it.")],
    outcome: Annotated[TaskOutcome, typer.Option(help="What came of it.")],
    done: Annotated[str, typer.Option(help="What was done (circulated, visited, sent on).")],
    why: Annotated[str, typer.Option(help="Why the task can close (written to the audit log).")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close a task: record what was done, with which result, and why."""
    from interforce.cli.desk import open_desk, perform
    from interforce.node.deadlines import service_levels
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.CloseTask(
        reference=reference, at=desk.now(), by=desk.user, task_id=task_id, outcome=outcome,
        done=done, why=why, levels=service_levels(desk.settings),
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=why)
