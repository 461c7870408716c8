"""Service levels with a fake clock: the ladder of reminders, the expiry, and late answers.

Two forces in memory over the real wire. The federation's clock is the fake clock: each
test moves it on by days and has the owner's scheduler step (`ChaseDeadlines`) look.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ownership.domain import commands as c
from ownership.domain.deadlines import EscalationLevel, ServiceLevels
from ownership.domain.events import DeadlineEscalated, ReminderSent
from ownership.domain.pending import WaitingFor
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import RefusalReason

from .federation import Federation
from .samples import REGISTRATION, TID, TODAY, contact
from .test_scenarios import acknowledge_and_consult, notify, register

LEVELS = ServiceLevels(
    acknowledge_days=5,
    accept_days_after_move=7,
    return_days_after_end=2,
    escalate_every_days=3,
    expire_days_after_due=14,
)
ACK_DUE = TODAY + timedelta(days=5)
ACCEPT_DUE = TODAY + timedelta(days=14 + 7)  # the sample move is expected in a fortnight
LADDER = [
    EscalationLevel.OFFENDER_MANAGER,
    EscalationLevel.SUPERVISOR,
    EscalationLevel.MAPPA_COORDINATOR,
]


async def notified() -> Federation:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    return fed


def first_state(fed: Federation, force: str) -> TransferState:
    """The state of the first transfer in ``force``'s view, read afresh each time."""
    return fed[force].record.transfers[0].state


async def chase_on(fed: Federation, force: str, day: date) -> list[type]:
    """Set the clock to 09:00 on ``day``; the force's scheduler looks; return what it did."""
    fed.clock = datetime.combine(day, time(8, 59), UTC)
    before = len(fed[force].uow.outbox)
    await fed.act(force, c.ChaseDeadlines, by="scheduler", levels=LEVELS)
    return [type(event) for event in fed[force].uow.outbox[before:]]


async def test_an_unacknowledged_notification_climbs_the_ladder_with_a_reminder_each_rung() -> None:
    fed = await notified()
    assert await chase_on(fed, "GMP", ACK_DUE) == []  # due today: not yet overdue
    climbed = {}
    for day in range(1, 12):
        climbed[day] = await chase_on(fed, "GMP", ACK_DUE + timedelta(days=day))
        await fed.deliver()
    rungs = {day: did for day, did in climbed.items() if did}
    assert rungs == {day: [ReminderSent, DeadlineEscalated] for day in (1, 4, 7)}
    record = fed["GMP"].record
    assert [(e.level, e.waiting_for, e.reminded) for e in record.escalations] == [
        (level, WaitingFor.ACKNOWLEDGEMENT, True) for level in LADDER
    ]
    assert record.transfers[0].state is TransferState.NOTIFIED
    reminded = fed["WMP"].record.transfers[0].reminders
    assert [(r.sent, r.waiting_for, r.by) for r in reminded] == [
        (False, WaitingFor.ACKNOWLEDGEMENT, "GMP")
    ] * 3
    assert fed["WMP"].dead_letters == []


async def test_past_the_final_deadline_the_transfer_expires_and_the_receiver_is_told() -> None:
    fed = await notified()
    for day in (1, 4, 7, 14):
        await chase_on(fed, "GMP", ACK_DUE + timedelta(days=day))
    assert first_state(fed, "GMP") is TransferState.NOTIFIED  # the final day
    await chase_on(fed, "GMP", ACK_DUE + timedelta(days=15))
    await fed.deliver()
    assert first_state(fed, "GMP") is TransferState.EXPIRED
    assert first_state(fed, "WMP") is TransferState.CANCELLED
    assert (fed["GMP"].record.owner, fed["GMP"].record.epoch) == ("GMP", 1)


async def test_a_scheduler_that_was_down_climbs_one_rung_an_interval_and_expires_after_all() -> (
    None
):
    fed = await notified()
    late = ACK_DUE + timedelta(days=30)
    assert DeadlineEscalated in await chase_on(fed, "GMP", late)
    for look in range(3):  # the same day, pass after pass: nothing more
        assert await chase_on(fed, "GMP", late) == [], look
    assert await chase_on(fed, "GMP", late + timedelta(days=2)) == []
    assert DeadlineEscalated in await chase_on(fed, "GMP", late + timedelta(days=3))
    assert DeadlineEscalated in await chase_on(fed, "GMP", late + timedelta(days=6))
    assert [e.level for e in fed["GMP"].record.escalations] == LADDER
    await chase_on(fed, "GMP", late + timedelta(days=8))  # the last rung has its interval
    assert first_state(fed, "GMP") is TransferState.NOTIFIED
    await chase_on(fed, "GMP", late + timedelta(days=9))
    assert first_state(fed, "GMP") is TransferState.EXPIRED


async def test_a_late_acceptance_is_recorded_and_refused_and_never_reopens_the_transfer() -> None:
    fed = await notified()
    await acknowledge_and_consult(fed, "WMP", TID)
    for day in (1, 4, 7):
        assert ReminderSent in await chase_on(fed, "GMP", ACCEPT_DUE + timedelta(days=day))
    await fed.deliver()
    await chase_on(fed, "GMP", ACCEPT_DUE + timedelta(days=15))  # expires; not yet delivered
    await fed.act(
        "WMP", c.AcceptOwnership, transfer_id=TID, registration=REGISTRATION,
        contact=contact("WMP"),
    )  # fmt: skip
    carried = [x.received.message_type for x in await fed.deliver()]
    assert carried == ["transfer.cancelled", "ownership.accepted", "ownership.refused"]
    gmp = fed["GMP"].record.transfers[0]
    assert gmp.state is TransferState.EXPIRED
    assert [s.step for s in gmp.steps[-2:]] == [Step.ACCEPT, Step.REFUSE]
    assert (fed["GMP"].record.owner, fed["GMP"].record.epoch) == ("GMP", 1)
    wmp = fed["WMP"].record
    assert wmp.transfers[0].state is TransferState.CANCELLED
    assert (wmp.owner, wmp.epoch) == ("GMP", 1)
    refused = fed["GMP"].received[-1]
    assert refused.received.message_type == "ownership.accepted"
    assert fed["GMP"].dead_letters == fed["WMP"].dead_letters == []
    assert fed["WMP"].received[-1].command.reason_code is RefusalReason.TRANSFER_CANCELLED  # type: ignore[union-attr]


async def test_a_late_acknowledgement_is_recorded_and_answered_with_the_cancellation() -> None:
    fed = await notified()
    for day in (1, 4, 7, 15):
        await chase_on(fed, "GMP", ACK_DUE + timedelta(days=day))
    await fed.act("WMP", c.AcknowledgeTransfer, transfer_id=TID, contact=contact("WMP"))
    carried = [x.received.message_type for x in await fed.deliver()]
    assert carried == [
        "transfer.reminder", "transfer.reminder", "transfer.reminder", "transfer.cancelled",
        "transfer.acknowledged", "transfer.cancelled",
    ]  # fmt: skip
    gmp = fed["GMP"].record.transfers[0]
    assert gmp.state is TransferState.EXPIRED
    assert gmp.steps[-1].step is Step.ACKNOWLEDGE
    assert first_state(fed, "WMP") is TransferState.CANCELLED
    assert fed["GMP"].dead_letters == fed["WMP"].dead_letters == []


async def test_the_receivers_own_overdue_step_escalates_at_home_without_a_reminder() -> None:
    fed = await notified()
    assert await chase_on(fed, "WMP", ACK_DUE + timedelta(days=1)) == [DeadlineEscalated]
    escalation = fed["WMP"].record.escalations[0]
    assert (escalation.party, escalation.reminded) == ("WMP", False)
    assert first_state(fed, "WMP") is TransferState.NOTIFIED  # never expired here


async def test_an_overdue_return_from_a_temporary_move_escalates() -> None:
    fed = Federation("GMP", "WMP")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID, temporary=True)
    await acknowledge_and_consult(fed, "WMP", TID)
    await fed.act(
        "WMP", c.AcceptOwnership, transfer_id=TID, registration=REGISTRATION,
        contact=contact("WMP"),
    )  # fmt: skip
    await fed.deliver()
    await fed.act("GMP", c.CommitTransfer, transfer_id=TID, records_sent=True)
    await fed.deliver()
    move = fed["GMP"].record.temporary_move
    assert move is not None
    back = move.return_due + timedelta(days=LEVELS.return_days_after_end)
    assert await chase_on(fed, "GMP", back) == []
    assert await chase_on(fed, "GMP", back + timedelta(days=1)) == [DeadlineEscalated]
    escalation = fed["GMP"].record.escalations[0]
    assert (escalation.waiting_for, escalation.party) == (WaitingFor.RETURN, "WMP")
