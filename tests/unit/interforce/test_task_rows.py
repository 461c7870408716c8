"""A task on the command line: one flagged line with the command that closes it, or JSON."""

from __future__ import annotations

from datetime import timedelta

from interforce.cli.task_rows import closes_with, task_dict, task_line, task_row
from ownership.domain import commands as c
from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.states import TransferState
from tests.unit.ownership.builders import (
    OWNER,
    RECEIVER,
    REF,
    T0,
    TID,
    message,
    owner_in,
    receiver_in,
)

LEVELS = ServiceLevels()


def test_a_whereabouts_unknown_task_says_act_now_and_how_to_close_it() -> None:
    record = owner_in(TransferState.ACKNOWLEDGED)
    record.receive_failure_to_arrive(
        message(
            c.ReceiveTransferFailedToArrive, RECEIVER, OWNER,
            attempts=(ArrivalAttempt(ArrivalCheck.OTHER, T0, "asked around"),), summary="gone",
        )
    )  # fmt: skip
    (task,) = record.tasks(T0, LEVELS)
    line = task_line(task, T0)
    assert line.startswith(f"ACT NOW {REF} whereabouts_unknown due")
    assert f"close: interforce task close {REF} whereabouts_unknown:{TID} --outcome" in line
    shown = task_dict(task, T0 + timedelta(minutes=1))
    assert (shown["immediate"], shown["overdue"], shown["closed_by"]) == (
        True,
        True,
        ["task.closed"],
    )
    row = task_row(task, T0, OWNER)
    assert (row["waiting_for"], row["party"], row["task"]["task_id"]) == (
        "whereabouts_unknown",
        OWNER,
        task.task_id,
    )


def test_an_overdue_arrival_is_closed_by_a_failure_to_arrive_or_an_acceptance() -> None:
    record = receiver_in(TransferState.ACKNOWLEDGED)
    later = T0 + timedelta(days=60)
    (task,) = record.tasks(later, LEVELS)
    commands = closes_with(task)
    assert commands[0].startswith(f"interforce transfer failed-to-arrive {REF} {TID} --tried")
    assert commands[1].startswith(f"interforce transfer accept {REF} {TID}")
    assert commands[2].startswith(f"interforce task close {REF} arrival_overdue:{TID}")
    assert task_line(task, later).startswith("OVERDUE ")
