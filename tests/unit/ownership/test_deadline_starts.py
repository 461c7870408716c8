"""Deadlines never start in the future, and none overflows the calendar.

A sender's clock may run ahead (by up to the receiver's clock-skew margin; the registry
refuses more): the step a message starts is logged at its arrival if that is earlier, so
the receiver's service level counts from when it really had the message. A sender may also
name any date the schema allows, 9999-12-31 included: a deadline after the last date there
is is simply never reached.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ownership.domain.deadlines import ServiceLevels, days_after, overdue_steps, step_due
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState

from .builders import RECEIVER, RSO, T0, TID, TODAY, amendment, notification, receiver_in

LEVELS = ServiceLevels()
AHEAD = timedelta(days=3)


def test_a_notification_dated_ahead_starts_the_acknowledgement_clock_when_it_arrived() -> None:
    msg = notification(at=T0 + AHEAD, received_at=T0)
    record = OffenderRecord.first_heard(msg, RECEIVER, RSO)
    record.receive_notification(msg)
    transfer = record.find_transfer(TID)
    assert transfer is not None
    assert transfer.started_at == T0
    assert step_due(transfer, LEVELS) == (
        WaitingFor.ACKNOWLEDGEMENT,
        TODAY + timedelta(days=LEVELS.acknowledge_days),
    )


def test_an_amendment_dated_ahead_restarts_the_clock_when_it_arrived() -> None:
    record = receiver_in(TransferState.NOTIFIED)
    arrived = T0 + timedelta(days=1)
    record.receive_amendment(amendment(2, at=arrived + AHEAD, received_at=arrived))
    transfer = record.find_transfer(TID)
    assert transfer is not None
    assert transfer.steps[-1].at == arrived
    due = arrived.date() + timedelta(days=LEVELS.acknowledge_days)
    assert step_due(transfer, LEVELS) == (WaitingFor.ACKNOWLEDGEMENT, due)


def test_a_message_dated_before_it_arrived_keeps_its_own_time() -> None:
    msg = notification(at=T0, received_at=T0 + AHEAD)
    assert msg.clock_starts_at == T0
    assert notification(at=T0).clock_starts_at == T0  # arrival unknown: its own time


def test_a_move_expected_on_the_last_date_there_is_is_never_overdue() -> None:
    msg = notification()
    msg = replace(msg, details=replace(msg.details, expected_date=date.max))
    record = OffenderRecord.first_heard(msg, RECEIVER, RSO)
    record.receive_notification(msg)
    transfer = record.find_transfer(TID)
    assert transfer is not None
    transfer.state = TransferState.ACKNOWLEDGED
    assert step_due(transfer, LEVELS) == (WaitingFor.ACCEPTANCE, date.max)
    assert overdue_steps([transfer], None, LEVELS, date.max) == []
    assert not record.needs_chasing(date.max, LEVELS)


def test_days_after_stops_at_the_last_date() -> None:
    assert days_after(date(2025, 1, 30), 2) == date(2025, 2, 1)
    assert days_after(date.max - timedelta(days=1), 1) == date.max
    assert days_after(date.max - timedelta(days=1), 2) == date.max
    assert LEVELS.final_deadline(date.max) == date.max
    assert LEVELS.rung_date(date(9999, 12, 30), 2) == date.max
