"""Tasks that reach a person: each kind, its due time, what closes it, and closing it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import InvalidDetailsError, TaskNotOpenError, TaskOutcomeError
from ownership.domain.events import TaskClosed
from ownership.domain.states import Step, TransferState
from ownership.domain.task_kinds import TaskKind, TaskOutcome
from ownership.domain.tasks import CLOSE, KINDS, OUTCOMES, open_tasks
from ownership.domain.visits import EntryOutcome

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    T0,
    TID,
    address,
    local,
    message,
    move,
    owner_in,
    receiver_in,
    register,
    visit,
)

S = TransferState
LEVELS = ServiceLevels()
TRIED = (ArrivalAttempt(ArrivalCheck.TELEPHONED, T0, "number disconnected"),)
LATER = T0 + timedelta(hours=3)


def lost_offender() -> c.ReceiveTransferFailedToArrive:
    return message(
        c.ReceiveTransferFailedToArrive, RECEIVER, OWNER, attempts=TRIED, summary="not seen"
    )


def close(task_id: str, outcome: TaskOutcome, **fields: object) -> c.CloseTask:
    values = {"done": "circulated on PNC as missing", "why": "PNC entry made", **fields}
    command: c.CloseTask = local(c.CloseTask, at=LATER, task_id=task_id, outcome=outcome, **values)
    return command


def test_failure_to_arrive_puts_an_immediate_task_at_the_top_of_the_owners_list() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.record_absence(
        local(
            c.RecordAbsence,
            at=T0 - timedelta(days=1),
            date_left=T0.date(),
            forwarding_address=None,
            forwarding_force=None,
            evidence="neighbour",
        )
    )
    record.receive_failure_to_arrive(lost_offender())
    tasks = record.tasks(LATER, LEVELS)
    assert [t.kind for t in tasks] == [TaskKind.WHEREABOUTS_UNKNOWN, TaskKind.EVIDENCE_OF_ABSENCE]
    lost = next(t for t in tasks if t.kind is TaskKind.WHEREABOUTS_UNKNOWN)
    assert lost.immediate
    assert (lost.task_id, lost.transfer_id, lost.due) == (f"whereabouts_unknown:{TID}", TID, T0)
    assert lost.closed_by == (CLOSE,)
    assert lost.is_overdue(LATER)
    assert "number disconnected" not in lost.summary  # what was tried is named, not quoted
    assert "telephoned" in lost.summary


def test_closing_it_records_what_was_done_by_whom_and_why_and_the_mark_goes() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_failure_to_arrive(lost_offender())
    record.events.clear()
    record.close_task(close(f"whereabouts_unknown:{TID}", TaskOutcome.CIRCULATED_MISSING))
    assert not record.whereabouts_unknown(LATER, LEVELS)
    assert record.tasks(LATER, LEVELS) == ()
    closed = record.closed_tasks[-1]
    assert (closed.outcome, closed.by, closed.done, closed.why) == (
        TaskOutcome.CIRCULATED_MISSING,
        "officer",
        "circulated on PNC as missing",
        "PNC entry made",
    )
    event = record.events[-1]
    assert isinstance(event, TaskClosed)
    assert (event.kind, event.outcome, event.by) == (
        TaskKind.WHEREABOUTS_UNKNOWN,
        TaskOutcome.CIRCULATED_MISSING,
        "officer",
    )
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_a_closed_task_cannot_be_closed_again_nor_an_unknown_one() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_failure_to_arrive(lost_offender())
    task_id = f"whereabouts_unknown:{TID}"
    record.close_task(close(task_id, TaskOutcome.REDIRECTED))
    with pytest.raises(TaskNotOpenError):
        record.close_task(close(task_id, TaskOutcome.REDIRECTED))
    with pytest.raises(TaskNotOpenError):
        record.close_task(close("whereabouts_unknown:T9", TaskOutcome.REDIRECTED))


def test_a_task_closes_only_with_an_outcome_of_its_kind() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_failure_to_arrive(lost_offender())
    with pytest.raises(TaskOutcomeError):
        record.close_task(close(f"whereabouts_unknown:{TID}", TaskOutcome.ARRIVED))
    assert record.whereabouts_unknown(LATER, LEVELS)


@pytest.mark.parametrize("blank", ["done", "why"])
def test_closing_needs_what_was_done_and_why(blank: str) -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_failure_to_arrive(lost_offender())
    with pytest.raises(InvalidDetailsError):
        record.close_task(close(f"whereabouts_unknown:{TID}", TaskOutcome.LOCATED, **{blank: " "}))
    assert record.closed_tasks == []


def test_evidence_of_absence_is_an_act_immediately_task_at_the_owner() -> None:
    record = register()
    record.record_absence(
        local(
            c.RecordAbsence,
            date_left=T0.date(),
            forwarding_address=address("3 Far Lane", "Hull"),
            forwarding_force=OTHER,
            evidence="landlord says he left",
        )
    )
    (task,) = record.tasks(LATER, LEVELS)
    assert (task.kind, task.task_id, task.immediate, task.due) == (
        TaskKind.EVIDENCE_OF_ABSENCE,
        "evidence_of_absence:1",
        True,
        T0,
    )
    assert "act immediately" in task.summary
    assert "3 Far Lane, Hull" in task.summary


def test_evidence_of_absence_is_a_task_at_the_forwarding_force_too() -> None:
    record = receiver_in(S.NOTIFIED)
    record.receive_absence_notice(
        message(
            c.ReceiveOffenderAbsent,
            OWNER,
            RECEIVER,
            transfer_id=None,
            profile=record.profile,
            date_left=T0.date(),
            forwarding_address=address(),
            evidence="removal van",
        )
    )
    kinds = [t.kind for t in record.tasks(LATER, LEVELS)]
    assert kinds == [TaskKind.EVIDENCE_OF_ABSENCE]
    assert f"reported by {OWNER}" in record.tasks(LATER, LEVELS)[0].summary


def test_an_expired_transfer_is_a_task_due_a_day_after_it_lapsed() -> None:
    record = owner_in(S.EXPIRED)
    (task,) = record.tasks(LATER, LEVELS)
    assert (task.kind, task.immediate, task.transfer_id) == (TaskKind.EXPIRED_TRANSFER, False, TID)
    assert task.due == T0 + timedelta(days=1)
    assert not task.is_overdue(LATER)
    assert task.is_overdue(T0 + timedelta(days=2))
    record.close_task(close(task.task_id, TaskOutcome.REMAINS_HERE, done="offender seen at home"))
    assert record.tasks(LATER, LEVELS) == ()


def test_an_expired_transfer_the_receiver_said_never_arrived_is_one_task_not_two() -> None:
    record = owner_in(S.EXPIRED)
    record.receive_failure_to_arrive(lost_offender())
    assert [t.kind for t in record.tasks(LATER, LEVELS)] == [TaskKind.WHEREABOUTS_UNKNOWN]


def test_the_receiver_is_prompted_once_acceptance_is_overdue_and_nobody_registered() -> None:
    record = receiver_in(S.ACKNOWLEDGED)
    expected = record.transfer(TID).details.expected_date
    due = expected + timedelta(days=LEVELS.accept_days_after_move)
    on_due = T0.replace(year=due.year, month=due.month, day=due.day)
    assert record.tasks(on_due, LEVELS) == ()
    (task,) = record.tasks(on_due + timedelta(days=1), LEVELS)
    assert task.kind is TaskKind.ARRIVAL_OVERDUE
    assert task.closed_by == (str(Step.FAIL_TO_ARRIVE), str(Step.ACCEPT), CLOSE)
    record.report_failure_to_arrive(
        local(c.ReportFailureToArrive, transfer_id=TID, attempts=TRIED, summary="never came")
    )
    assert record.tasks(on_due + timedelta(days=1), LEVELS) == ()


def test_the_owner_is_not_prompted_about_arrival() -> None:
    assert owner_in(S.ACKNOWLEDGED).tasks(T0 + timedelta(days=60), LEVELS) == ()


def test_a_receiver_that_accepted_has_no_arrival_task() -> None:
    record = receiver_in(S.ACCEPTED)
    assert record.tasks(T0 + timedelta(days=60), LEVELS) == ()


def test_a_record_with_nothing_wrong_has_no_tasks() -> None:
    assert register().tasks(T0 + timedelta(days=400), LEVELS) == ()
    fresh = receiver_in(S.NOTIFIED)
    assert open_tasks(fresh, T0, LEVELS) == ()


def test_every_kind_has_its_outcomes_and_one_source() -> None:
    assert set(OUTCOMES) == set(TaskKind)
    assert len(KINDS) == len(TaskKind)
    assert all(OUTCOMES[kind] for kind in TaskKind)


def test_a_new_transfer_after_a_failure_to_arrive_does_not_reopen_a_closed_task() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_failure_to_arrive(lost_offender())
    record.close_task(close(f"whereabouts_unknown:{TID}", TaskOutcome.NEW_ADDRESS_FOUND))
    record.start_transfer(local(c.StartTransfer, transfer_id="T2", receiver=OTHER, details=move()))
    assert record.tasks(LATER, LEVELS) == ()


def test_a_lapsed_acceptance_is_a_task_at_the_owner_until_someone_decides() -> None:
    record = owner_in(S.ACCEPTED)
    lapses = T0 + timedelta(days=LEVELS.acceptance_valid_days + 1)
    record.chase(
        c.ChaseDeadlines(reference=record.reference, by="scheduler", at=lapses, levels=LEVELS)
    )
    assert record.transfer(TID).state is S.LAPSED
    (task,) = record.tasks(lapses, LEVELS)
    assert (task.kind, task.transfer_id, task.immediate) == (TaskKind.LAPSED_ACCEPTANCE, TID, False)
    assert (task.raised_at, task.due) == (lapses, lapses + timedelta(days=1))
    assert RECEIVER in task.summary
    record.close_task(close(task.task_id, TaskOutcome.TRANSFER_RESTARTED, done="asked again"))
    assert record.tasks(lapses, LEVELS) == ()


def test_two_refused_entries_at_one_premises_are_a_warrant_task_at_the_manager() -> None:
    record = register()
    home, hostel = "9 Old Road, York", "Unit 4, Riverside Hostel, Leeds"
    for visit_id, where in (("V1", home), ("V2", hostel), ("V3", "9 old road york")):
        record.record_visit(
            local(c.RecordVisit, visit=visit(visit_id, EntryOutcome.REFUSED, at_address=where))
        )
    (task,) = record.tasks(T0 + timedelta(days=1), LEVELS)
    assert (task.kind, task.task_id) == (TaskKind.POSSIBLE_WARRANT, "possible_warrant:V1")
    assert "V1, V3" in task.summary
    assert home in task.summary
    assert set(task.outcomes) >= {TaskOutcome.WARRANT_SOUGHT, TaskOutcome.ENTRY_OBTAINED}
    record.close_task(close(task.task_id, TaskOutcome.WARRANT_SOUGHT, done="applied at court"))
    assert record.tasks(T0 + timedelta(days=1), LEVELS) == ()


def test_failed_entries_at_two_premises_raise_no_warrant_task() -> None:
    record = register()
    for visit_id, where in (("V1", "9 Old Road, York"), ("V2", "Unit 4, Riverside Hostel")):
        record.record_visit(
            local(c.RecordVisit, visit=visit(visit_id, EntryOutcome.REFUSED, at_address=where))
        )
    assert record.tasks(T0 + timedelta(days=1), LEVELS) == ()
