"""A task as the command line shows it: one line, or one JSON object, with what closes it.

`interforce task list` and `interforce pending` both print tasks through here, so the two
lists say the same thing about each.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ownership.domain.states import Step
from ownership.domain.tasks import CLOSE, Task


def closes_with(task: Task) -> list[str]:
    """The commands that close ``task``, in the order a person would try them."""
    ref, tid = task.reference, task.transfer_id or "TRANSFER"
    commands = {
        CLOSE: f"interforce task close {ref} {task.task_id} --outcome"
        f" {'|'.join(task.outcomes)} --done TEXT --why TEXT",
        str(Step.FAIL_TO_ARRIVE): f"interforce transfer failed-to-arrive {ref} {tid}"
        " --tried CHECK,WHEN,OUTCOME --summary TEXT",
        str(Step.ACCEPT): f"interforce transfer accept {ref} {tid} --registered-on DATE"
        " --station NAME",
    }
    return [commands[step] for step in task.closed_by if step in commands]


def task_dict(task: Task, now: datetime) -> dict[str, Any]:
    """The task as JSON: what, about which record, raised and due when, what closes it."""
    return {
        "task_id": task.task_id,
        "reference": task.reference,
        "kind": str(task.kind),
        "immediate": task.immediate,
        "summary": task.summary,
        "transfer_id": task.transfer_id,
        "raised_at": task.raised_at.isoformat(),
        "due": task.due.isoformat(),
        "overdue": task.is_overdue(now),
        "closed_by": list(task.closed_by),
        "outcomes": [str(outcome) for outcome in task.outcomes],
        "closes_with": closes_with(task),
    }


def task_line(task: Task, now: datetime) -> str:
    """The task on one line: immediate action flagged, then due time and what to do."""
    flag = "ACT NOW" if task.immediate else ("OVERDUE" if task.is_overdue(now) else "       ")
    return (
        f"{flag} {task.reference} {task.kind} due {task.due:%Y-%m-%d %H:%M} [{task.task_id}]:"
        f" {task.summary}\n          close: {closes_with(task)[0]}"
    )


def task_row(task: Task, now: datetime, force: str) -> dict[str, Any]:
    """The task as a row of `pending --json`: the pending row's keys, then the task's own."""
    return {
        "reference": task.reference,
        "transfer_id": task.transfer_id,
        "waiting_for": str(task.kind),
        "party": force,
        "state": None,
        "since": task.raised_at.isoformat(),
        "due": task.due.isoformat(),
        "overdue": task.is_overdue(now),
        "escalated_to": None,
        "task": task_dict(task, now),
    }
