"""Unannounced arrival: a request for a transfer at the force asked, its answers and deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interforce.web.worklist import work_items
from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain import requesting
from ownership.domain.deadlines import LADDER, ServiceLevels
from ownership.domain.errors import (
    InvalidDetailsError,
    MisaddressedError,
    RequestAlreadyKnownError,
    RequestNotNeededError,
    RequestNotPendingError,
    UnknownRequestError,
)
from ownership.domain.identifiers import (
    PNC_CHECK_LETTERS,
    parse_pnc_id,
    parse_visor_reference,
    pnc_check_letter,
)
from ownership.domain.pending import WaitingFor
from ownership.domain.requests import ArrivalRegistration, RequestDeclineReason, RequestState
from ownership.domain.states import TransferState
from ownership.domain.values import OffenderIdentity
from ownership.service_layer.messagebus import message_bus
from tooling.memory import FakeUnitOfWork

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    REF,
    T0,
    TID,
    address,
    local,
    message,
    move,
    owner_in,
    register,
)

REGISTRATION = ArrivalRegistration(
    date(2025, 3, 1),
    address("4 Arrival Road", "Birmingham"),
    OffenderIdentity("Example", "Alan", date(1975, 3, 14), "98/123456G", "VN-0042137"),
)


def _request(recipient: str = OWNER, request_id: str = "R1") -> c.ReceiveTransferRequested:
    return message(
        c.ReceiveTransferRequested, RECEIVER, recipient, 0,
        request_id=request_id, registration=REGISTRATION,
    )  # fmt: skip


def test_a_request_at_the_owner_is_pending_on_its_record_waiting_for_its_answer() -> None:
    record = register()
    record.receive_transfer_request(_request())
    [request] = record.requests
    assert (request.requester, request.state) == (RECEIVER, RequestState.PENDING)
    assert [type(x) for x in record.events] == [e.TransferRequestReceived]
    [item] = record.pending(T0.date())
    assert (item.transfer_id, item.waiting_for, item.party) == ("R1", WaitingFor.ANSWER, OWNER)
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_starting_a_transfer_to_the_requester_answers_the_request() -> None:
    record = register()
    record.receive_transfer_request(_request())
    record.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move())
    )
    [request] = record.requests
    assert (request.state, request.transfer_id) == (RequestState.ANSWERED, TID)
    assert isinstance(record.events[-1], e.TransferRequestAnswered)
    assert [p.waiting_for for p in record.pending(T0.date())] == [WaitingFor.REVIEW]


def test_a_transfer_to_another_force_leaves_the_request_pending() -> None:
    record = register()
    record.receive_transfer_request(_request())
    record.start_transfer(local(c.StartTransfer, transfer_id=TID, receiver=OTHER, details=move()))
    assert record.requests[0].is_pending


def test_a_live_transfer_to_the_requester_answers_a_request_on_arrival() -> None:
    record = owner_in(TransferState.NOTIFIED)
    record.receive_transfer_request(_request())
    assert (record.requests[0].state, record.requests[0].transfer_id) == (
        RequestState.ANSWERED, TID,
    )  # fmt: skip


def test_the_owner_declines_with_a_reason_and_the_requester_is_told() -> None:
    record = register()
    record.receive_transfer_request(_request())
    record.events.clear()
    decline = local(
        c.DeclineTransferRequest, request_id="R1",
        reason=RequestDeclineReason.NOT_MOVING, text="still lives here",
    )  # fmt: skip
    record.decline_transfer_request(decline)
    [sent] = record.events
    assert isinstance(sent, e.TransferRequestDeclined)
    assert (sent.recipient, sent.reason, sent.text) == (RECEIVER, decline.reason, decline.text)
    assert (sent.owner, sent.owner_epoch) == (OWNER, 1)
    assert record.requests[0].state is RequestState.DECLINED
    assert record.pending(T0.date()) == ()
    with pytest.raises(RequestNotPendingError, match="already declined"):
        record.decline_transfer_request(decline)


def test_declining_needs_a_known_request_and_a_reason_in_words() -> None:
    record = register()
    with pytest.raises(UnknownRequestError, match="no request R9"):
        record.decline_transfer_request(
            local(c.DeclineTransferRequest, request_id="R9",
                  reason=RequestDeclineReason.OTHER, text="no")
        )  # fmt: skip
    record.receive_transfer_request(_request())
    with pytest.raises(InvalidDetailsError, match="reason in words"):
        record.decline_transfer_request(
            local(c.DeclineTransferRequest, request_id="R1",
                  reason=RequestDeclineReason.OTHER, text="  ")
        )  # fmt: skip


def test_a_force_that_does_not_own_the_record_declines_at_once_naming_the_owner() -> None:
    record = register(force=OTHER)
    record.owner = OWNER  # OTHER's view: OWNER owns the record
    record.receive_transfer_request(
        message(c.ReceiveTransferRequested, RECEIVER, OTHER, 0,
                request_id="R1", registration=REGISTRATION)
    )  # fmt: skip
    sent = record.events[-1]
    assert isinstance(sent, e.TransferRequestDeclined)
    assert (sent.reason, sent.owner, sent.recipient) == (
        RequestDeclineReason.NOT_OWNER, OWNER, RECEIVER,
    )  # fmt: skip


def test_a_repeated_or_misaddressed_request_is_refused() -> None:
    record = register()
    record.receive_transfer_request(_request())
    with pytest.raises(RequestAlreadyKnownError):
        record.receive_transfer_request(_request())
    with pytest.raises(MisaddressedError):
        record.receive_transfer_request(_request(recipient=OTHER, request_id="R2"))
    assert [r.code for r in record.refusals] == ["request_already_known", "misaddressed"]
    assert len(record.requests) == 1


def test_an_unanswered_request_climbs_the_ladder_and_never_lapses() -> None:
    levels = ServiceLevels()
    record = register()
    record.receive_transfer_request(_request())
    due = T0.date() + timedelta(days=levels.answer_request_days)
    assert not record.needs_chasing(due, levels)
    day = T0
    for _ in range(len(LADDER) + 3):
        day += timedelta(days=levels.escalate_every_days + levels.answer_request_days)
        record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=day, levels=levels))
    assert [x.level for x in record.escalations] == list(LADDER)
    assert {x.waiting_for for x in record.escalations} == {WaitingFor.ANSWER}
    assert not any(x.reminded for x in record.escalations)
    assert record.requests[0].is_pending
    assert record.transfers == []


def test_a_force_asks_only_when_it_neither_owns_nor_receives_the_record() -> None:
    ask = local(c.RequestTransfer, request_id="R1", owner=OWNER, registration=REGISTRATION)
    sent = requesting.request_event(ask, RECEIVER, None)
    assert (sent.recipient, sent.force, sent.transfer_id) == (OWNER, RECEIVER, None)
    with pytest.raises(InvalidDetailsError, match="ask itself"):
        requesting.request_event(ask, OWNER, None)
    with pytest.raises(RequestNotNeededError, match="already owns"):
        requesting.request_event(ask, RECEIVER, register(force=RECEIVER))


async def test_the_owner_holding_no_record_declines_as_not_known() -> None:
    bus = message_bus(FakeUnitOfWork(OWNER))
    await bus.handle(_request())
    [sent] = bus.uow.sent
    assert isinstance(sent, e.TransferRequestDeclined)
    assert (sent.reason, sent.recipient, sent.owner) == (
        RequestDeclineReason.NOT_KNOWN, RECEIVER, None,
    )  # fmt: skip


async def test_the_requester_sends_the_request_and_opens_no_view() -> None:
    bus = message_bus(FakeUnitOfWork(RECEIVER))
    ask = local(c.RequestTransfer, request_id="R1", owner=OWNER, registration=REGISTRATION)
    await bus.handle(ask)
    [sent] = bus.uow.sent
    assert isinstance(sent, e.TransferRequested)
    assert sent.registration == REGISTRATION
    assert await bus.uow.records.get(REF) is None


# -- the identifiers' parsers -----------------------------------------------------------

years = st.one_of(
    st.from_regex(r"[0-9]{2}", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True)
)
serials = st.from_regex(r"[0-9]{1,7}", fullmatch=True)


@given(years, serials)
def test_a_pnc_id_with_its_check_letter_parses_to_itself(year: str, serial: str) -> None:
    text = f"{year}/{serial}{pnc_check_letter(year, serial)}"
    assert parse_pnc_id(f" {text.lower()} ") == text


@given(years, serials, st.sampled_from(PNC_CHECK_LETTERS))
def test_a_pnc_id_with_any_other_letter_is_refused(year: str, serial: str, letter: str) -> None:
    if letter == pnc_check_letter(year, serial):
        return
    with pytest.raises(InvalidDetailsError, match="should end in"):
        parse_pnc_id(f"{year}/{serial}{letter}")


@given(st.text(max_size=16))
def test_pnc_parsing_accepts_only_the_shape_and_the_check(text: str) -> None:
    try:
        parsed = parse_pnc_id(text)
    except InvalidDetailsError:
        return
    year, rest = parsed.split("/")
    assert pnc_check_letter(year, rest[:-1]) == rest[-1]


def test_the_pnc_check_letter_follows_the_modulus_23_rule() -> None:
    assert pnc_check_letter("98", "123456") == "G"  # 980123456 % 23 == 7
    assert pnc_check_letter("2000", "0") == "Z"  # remainder 0
    assert set(PNC_CHECK_LETTERS).isdisjoint("IOS")


@given(st.from_regex(r"[A-Z0-9][A-Z0-9/-]{3,19}", fullmatch=True))
def test_a_visor_reference_of_the_shape_parses_when_it_holds_a_digit(text: str) -> None:
    if any(ch.isdigit() for ch in text):
        assert parse_visor_reference(text.lower()) == text
    else:
        with pytest.raises(InvalidDetailsError):
            parse_visor_reference(text)


@given(st.text(max_size=30))
def test_visor_parsing_never_accepts_a_malformed_reference(text: str) -> None:
    try:
        parsed = parse_visor_reference(text)
    except InvalidDetailsError:
        return
    assert 4 <= len(parsed) <= 20
    assert parsed == text.strip().upper()


def test_the_dashboard_lists_a_pending_request_with_its_requester_and_deadline() -> None:
    levels = ServiceLevels()
    record = register()
    record.receive_transfer_request(_request())
    due = T0.date() + timedelta(days=levels.answer_request_days)
    [item] = work_items([record], due + timedelta(days=2), levels)
    assert (item.waiting_for, item.party, item.peer) == (WaitingFor.ANSWER, OWNER, RECEIVER)
    assert (item.deadline, item.overdue_days) == (due, 2)


def test_a_request_still_pending_at_the_handover_is_declined_naming_the_new_owner() -> None:
    record = owner_in(TransferState.ACCEPTED)  # the transfer to RECEIVER, accepted
    record.receive_transfer_request(
        message(c.ReceiveTransferRequested, OTHER, OWNER, 0,
                request_id="R1", registration=REGISTRATION)
    )  # fmt: skip
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    sent = record.events[-1]
    assert isinstance(sent, e.TransferRequestDeclined)
    assert (sent.recipient, sent.reason, sent.owner, sent.owner_epoch) == (
        OTHER, RequestDeclineReason.NOT_OWNER, RECEIVER, 2,
    )  # fmt: skip
    assert record.pending(T0.date()) == ()
