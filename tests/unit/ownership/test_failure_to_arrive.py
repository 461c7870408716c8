"""Failure to arrive: the receiver ends the transfer, the owner keeps a record of someone lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain.arrival import WHEREABOUTS_ACTION, ArrivalAttempt, ArrivalCheck
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import (
    IllegalTransitionError,
    InvalidDetailsError,
    NotTheReceiverError,
    OutOfSequenceError,
    SenderNotEntitledError,
    StaleEpochError,
    TransferSupersededError,
    UngrantedEpochError,
)
from ownership.domain.events import (
    ImmediateActionRequired,
    PeerMessageRefused,
    PeerStepApplied,
    TransferFailedToArrive,
    WhereaboutsUnknown,
)
from ownership.domain.record import OffenderRecord
from ownership.domain.states import Step, TransferState

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    T0,
    TID,
    amendment,
    at,
    local,
    message,
    owner_in,
    receiver_in,
)

S = TransferState
LEVELS = ServiceLevels()
TRIED = (
    ArrivalAttempt(ArrivalCheck.ADDRESS_VISITED, at(60), "no answer, landlord has not seen him"),
    ArrivalAttempt(ArrivalCheck.RECORDS_CHECKED, at(120), "not registered at any station"),
)


def report(**fields: object) -> c.ReportFailureToArrive:
    command: c.ReportFailureToArrive = local(
        c.ReportFailureToArrive,
        transfer_id=TID,
        **{"attempts": TRIED, "summary": "never arrived", **fields},
    )
    return command


def failure(sender: str = RECEIVER, epoch: int = 1) -> c.ReceiveTransferFailedToArrive:
    return message(
        c.ReceiveTransferFailedToArrive,
        sender,
        OWNER,
        epoch,
        attempts=TRIED,
        summary="never arrived",
    )


@pytest.mark.parametrize("state", [S.NOTIFIED, S.AMENDED, S.ACKNOWLEDGED])
def test_the_receiver_ends_a_transfer_it_has_not_accepted_and_tells_the_owner(
    state: TransferState,
) -> None:
    record = receiver_in(state)
    record.report_failure_to_arrive(report())
    transfer = record.transfer(TID)
    assert transfer.state is S.NOT_ARRIVED
    assert transfer.arrival_failure is not None
    assert transfer.arrival_failure.attempts == TRIED
    sent = record.events[-1]
    assert isinstance(sent, TransferFailedToArrive)
    assert (sent.recipient, sent.epoch, sent.attempts) == (OWNER, 1, TRIED)
    assert sent.message_id == transfer.steps[-1].message_id is not None
    assert (record.owner, record.epoch) == (OWNER, 1)


@pytest.mark.parametrize("state", [S.ACCEPTED, S.DECLINED, S.CANCELLED, S.COMMITTED])
def test_the_receiver_cannot_report_it_once_the_transfer_is_settled(state: TransferState) -> None:
    record = receiver_in(state)
    with pytest.raises((IllegalTransitionError, TransferSupersededError)):
        record.report_failure_to_arrive(report())


def test_the_owner_cannot_report_a_failure_to_arrive() -> None:
    with pytest.raises(NotTheReceiverError):
        owner_in(S.NOTIFIED).report_failure_to_arrive(report())


@pytest.mark.parametrize(
    "fields",
    [{"attempts": ()}, {"attempts": TRIED * 11}, {"summary": "  "}],
    ids=["nothing tried", "more than a message carries", "no summary"],
)
def test_a_report_says_what_was_tried_and_why(fields: dict[str, object]) -> None:
    record = receiver_in(S.ACKNOWLEDGED)
    with pytest.raises(InvalidDetailsError):
        record.report_failure_to_arrive(report(**fields))
    assert record.transfer(TID).state is S.ACKNOWLEDGED


@pytest.mark.parametrize("state", [S.NOTIFIED, S.AMENDED, S.ACKNOWLEDGED])
def test_the_owner_keeps_the_record_with_the_offender_whereabouts_unknown(
    state: TransferState,
) -> None:
    record = owner_in(state)
    record.receive_failure_to_arrive(failure())
    assert record.transfer(TID).state is S.NOT_ARRIVED
    assert (record.owner, record.epoch, record.is_owner) == (OWNER, 1, True)
    assert record.whereabouts_unknown(T0, LEVELS)
    kinds = [type(e) for e in record.events]
    assert kinds == [PeerStepApplied, WhereaboutsUnknown, ImmediateActionRequired]
    action = record.events[-1]
    assert isinstance(action, ImmediateActionRequired)
    assert (action.reason, action.detail) == ("failed_to_arrive", WHEREABOUTS_ACTION)


def test_the_owner_may_start_a_transfer_to_another_force_after_it() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_failure_to_arrive(failure())
    record.start_transfer(
        local(
            c.StartTransfer, transfer_id="T2", receiver=OTHER, details=record.transfer(TID).details
        )
    )
    assert record.transfer("T2").state is S.DRAFT


@pytest.mark.parametrize("state", [S.CANCELLED, S.EXPIRED])
def test_a_failure_to_arrive_that_crossed_a_withdrawal_is_still_heard(
    state: TransferState,
) -> None:
    record = owner_in(state)
    record.receive_failure_to_arrive(failure())
    assert record.transfer(TID).state is state
    assert record.whereabouts_unknown(T0, LEVELS)


def test_an_accepted_transfer_refuses_a_failure_to_arrive() -> None:
    record = owner_in(S.ACCEPTED)
    with pytest.raises(OutOfSequenceError):
        record.receive_failure_to_arrive(failure())
    assert not record.whereabouts_unknown(T0, LEVELS)
    assert isinstance(record.events[-1], PeerMessageRefused)


def test_only_the_named_receiver_may_say_the_offender_never_arrived() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    with pytest.raises(SenderNotEntitledError):
        record.receive_failure_to_arrive(failure(sender=OTHER))
    assert record.transfer(TID).state is S.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("epoch", "error"), [(0, StaleEpochError), (2, UngrantedEpochError)], ids=["stale", "n+1"]
)
def test_a_failure_to_arrive_speaks_for_the_transfers_epoch(
    epoch: int, error: type[Exception]
) -> None:
    record = owner_in(S.ACKNOWLEDGED)
    with pytest.raises(error):
        record.receive_failure_to_arrive(failure(epoch=epoch))


@pytest.mark.parametrize("step", ["amend", "cancel"])
def test_the_receiver_records_owner_messages_that_crossed_its_report(step: str) -> None:
    record: OffenderRecord = receiver_in(S.ACKNOWLEDGED)
    record.report_failure_to_arrive(report())
    if step == "cancel":
        record.receive_cancellation(
            message(c.ReceiveTransferCancelled, OWNER, RECEIVER, reason="lapsed")
        )
    else:
        record.receive_amendment(amendment(2))
    assert record.transfer(TID).state is S.NOT_ARRIVED
    assert record.transfer(TID).steps[-1].step in {Step.CANCEL, Step.AMEND}


def test_the_owner_hears_it_even_weeks_after_the_move() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    later = T0 + timedelta(days=30)
    record.receive_failure_to_arrive(replace(failure(), at=later))
    assert record.whereabouts_unknown(later + timedelta(days=60), LEVELS)
