"""What casework records and emits, written out in full: visits, absences, reminders.

test_casework says which casework is allowed; these state its exact effects as literals,
so an absence sent with the wrong epoch or a reminder naming the wrong message fails here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain.absence import ABSENCE_ACTION, Absence, AbsenceSource
from ownership.domain.errors import (
    DomainError,
    DuplicateVisitError,
    NothingOverdueError,
    NotTheOwnerError,
)
from ownership.domain.events import (
    AbsenceRecorded,
    ImmediateActionRequired,
    OffenderAbsent,
    ReminderReceived,
    ReminderSent,
    VisitRecorded,
    WarrantMayBeConsidered,
)
from ownership.domain.pending import WaitingFor
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import ReminderLogged
from ownership.domain.visits import WARRANT_AUTHORITY, EntryOutcome, WarrantConsideration

from .builders import (
    OTHER,
    OWNER,
    PDP,
    RECEIVER,
    REF,
    RSO,
    TID,
    TODAY,
    address,
    at,
    local,
    message,
    owner_in,
    receiver_in,
    register,
    visit,
)

S = TransferState


def refused(error: type[DomainError], text: str) -> Any:
    """Expect exactly this refusal, its whole text."""
    return pytest.raises(error, match=f"^{re.escape(text)}$")


def test_a_visit_is_recorded_with_its_outcome_and_departures() -> None:
    record = register()
    alone = visit("V1", EntryOutcome.REFUSED, two_people=False)
    record.record_visit(local(c.RecordVisit, visit=alone, at=at(1)))
    assert record.events == [
        VisitRecorded(
            reference=REF,
            force=OWNER,
            at=at(1),
            visit_id="V1",
            entry_obtained=False,
            compliance_issues=("not two visitors with an accredited offender manager",),
        )
    ]
    assert record.visits == [alone]
    assert record.warrant is None


def test_the_second_failed_entry_notes_once_that_a_warrant_may_be_considered() -> None:
    record = register(RSO)
    record.record_visit(local(c.RecordVisit, visit=visit("V1", EntryOutcome.NO_ANSWER)))
    record.record_visit(local(c.RecordVisit, visit=visit("V2", EntryOutcome.OBTAINED)))
    record.events.clear()
    record.record_visit(local(c.RecordVisit, visit=visit("V3", EntryOutcome.REFUSED), at=at(2)))
    assert record.events[-1] == WarrantMayBeConsidered(
        reference=REF, force=OWNER, at=at(2), visit_ids=("V1", "V3"), address="9 Old Road, York"
    )
    assert record.warrant == WarrantConsideration(
        ("V1", "V3"), "9 Old Road, York", WARRANT_AUTHORITY
    )
    record.events.clear()
    record.record_visit(local(c.RecordVisit, visit=visit("V4", EntryOutcome.REFUSED)))
    assert [type(e) for e in record.events] == [VisitRecorded]


def test_no_warrant_note_for_a_potentially_dangerous_person() -> None:
    record = register(PDP)
    for visit_id in ("V1", "V2"):
        record.record_visit(local(c.RecordVisit, visit=visit(visit_id, EntryOutcome.REFUSED)))
    assert record.warrant is None


def test_a_visit_recorded_twice_is_refused_by_its_id() -> None:
    record = register()
    record.record_visit(local(c.RecordVisit, visit=visit("V1")))
    with refused(DuplicateVisitError, "visit V1 is already recorded"):
        record.record_visit(local(c.RecordVisit, visit=visit("V1")))
    assert len(record.visits) == 1


def test_an_absence_is_recorded_acted_on_and_sent_to_the_forwarding_force() -> None:
    record = register()
    hull = address("3 Far Lane", "Hull")
    record.events.clear()
    record.record_absence(
        local(
            c.RecordAbsence,
            date_left=TODAY,
            forwarding_address=hull,
            forwarding_force=OTHER,
            evidence="landlord statement",
            source=AbsenceSource.LANDLORD,
            at=at(3),
        )
    )
    assert record.absences == [
        Absence(TODAY, hull, OTHER, "landlord statement", "officer", at(3), None,
                AbsenceSource.LANDLORD)
    ]  # fmt: skip
    assert record.events == [
        AbsenceRecorded(
            reference=REF,
            force=OWNER,
            at=at(3),
            date_left=TODAY,
            forwarding_address=hull,
            forwarding_force=OTHER,
            reported_by_force=None,
        ),
        ImmediateActionRequired(
            reference=REF, force=OWNER, at=at(3), reason="offender_absent", detail=ABSENCE_ACTION
        ),
        OffenderAbsent(
            reference=REF,
            force=OWNER,
            at=at(3),
            recipient=OTHER,
            transfer_id=None,
            epoch=1,
            profile=RSO,
            date_left=TODAY,
            forwarding_address=hull,
            evidence="landlord statement",
            source=AbsenceSource.LANDLORD,
        ),
    ]


def test_an_absence_forwarded_within_our_own_area_is_not_sent() -> None:
    record = register()
    record.record_absence(
        local(
            c.RecordAbsence,
            date_left=TODAY,
            forwarding_address=address(),
            forwarding_force=OWNER,
            evidence="moved across town",
        )
    )
    assert [type(e) for e in record.events] == [AbsenceRecorded, ImmediateActionRequired]


def test_a_receiver_is_told_to_tell_the_owner_of_an_absence() -> None:
    record = receiver_in(S.NOTIFIED)
    with refused(NotTheOwnerError, f"{OWNER} manages {REF}; tell them"):
        record.record_absence(
            local(
                c.RecordAbsence,
                date_left=TODAY,
                forwarding_address=None,
                forwarding_force=None,
                evidence="x",
            )
        )
    assert record.absences == []


def test_an_absence_notice_from_the_owner_is_recorded_as_reported_by_it() -> None:
    msg = message(
        c.ReceiveOffenderAbsent,
        OWNER,
        RECEIVER,
        profile=RSO,
        date_left=TODAY,
        forwarding_address=address("3 Far Lane"),
        evidence="neighbour",
        source=AbsenceSource.NEIGHBOUR,
        recorded_at=at(-60),
        at=at(4),
    )
    record = receiver_in(S.NOTIFIED)
    record.receive_absence_notice(msg)
    assert record.absences == [
        Absence(TODAY, address("3 Far Lane"), RECEIVER, "neighbour", OWNER, at(-60), OWNER,
                AbsenceSource.NEIGHBOUR)
    ]  # fmt: skip
    assert record.events == [
        AbsenceRecorded(
            reference=REF,
            force=RECEIVER,
            at=at(-60),
            date_left=TODAY,
            forwarding_address=address("3 Far Lane"),
            forwarding_force=RECEIVER,
            reported_by_force=OWNER,
        ),
        ImmediateActionRequired(
            reference=REF,
            force=RECEIVER,
            at=at(-60),
            reason="offender_absent",
            detail=ABSENCE_ACTION,
        ),
    ]


def test_an_absence_notice_without_its_own_time_is_dated_when_it_was_sent() -> None:
    msg = message(
        c.ReceiveOffenderAbsent,
        OWNER,
        RECEIVER,
        profile=RSO,
        date_left=TODAY,
        forwarding_address=None,
        evidence="neighbour",
        at=at(5),
    )
    record = receiver_in(S.NOTIFIED)
    record.receive_absence_notice(msg)
    assert record.absences[0].recorded_at == at(5)


def test_a_reminder_names_the_latest_message_it_chases_and_counts_itself() -> None:
    record = owner_in(S.AMENDED)
    amended = record.transfer(TID).last_message(Step.AMEND)
    assert amended is not None
    record.send_reminder(local(c.SendReminder, transfer_id=TID, at=at(6)))
    record.send_reminder(local(c.SendReminder, transfer_id=TID, at=at(7)))
    assert record.events[-1] == ReminderSent(
        reference=REF,
        force=OWNER,
        at=at(7),
        recipient=RECEIVER,
        transfer_id=TID,
        epoch=1,
        waiting_for=WaitingFor.ACKNOWLEDGEMENT,
        original_message_id=amended.message_id,
        originally_sent_at=amended.at,
        reminder_number=2,
    )
    assert record.transfer(TID).reminders == [
        ReminderLogged(True, WaitingFor.ACKNOWLEDGEMENT, at(6), "officer"),
        ReminderLogged(True, WaitingFor.ACKNOWLEDGEMENT, at(7), "officer"),
    ]


def test_a_commit_reminder_goes_to_the_owner_and_names_the_acceptance() -> None:
    record = receiver_in(S.ACCEPTED)
    accepted = record.transfer(TID).last_message(Step.ACCEPT)
    assert accepted is not None
    record.send_reminder(local(c.SendReminder, transfer_id=TID, at=at(9)))
    assert record.events == [
        ReminderSent(
            reference=REF,
            force=RECEIVER,
            at=at(9),
            recipient=OWNER,
            transfer_id=TID,
            epoch=1,
            waiting_for=WaitingFor.COMMIT,
            original_message_id=accepted.message_id,
            originally_sent_at=accepted.at,
            reminder_number=1,
        )
    ]
    assert record.transfer(TID).reminders == [
        ReminderLogged(True, WaitingFor.COMMIT, at(9), "officer")
    ]


def test_a_withdrawn_acceptance_has_nothing_to_remind() -> None:
    record = receiver_in(S.ACCEPTED)
    record.withdraw(local(c.WithdrawAcceptance, transfer_id=TID, reason="did not report"))
    with refused(NothingOverdueError, f"transfer {TID} waits on {RECEIVER}"):
        record.send_reminder(local(c.SendReminder, transfer_id=TID))


def test_a_transfer_waiting_on_ourselves_has_nothing_to_remind() -> None:
    record = owner_in(S.ACCEPTED)
    with refused(NothingOverdueError, f"transfer {TID} waits on {OWNER}"):
        record.send_reminder(local(c.SendReminder, transfer_id=TID))
    closed = owner_in(S.DECLINED)
    with refused(NothingOverdueError, f"transfer {TID} waits on {OWNER}"):
        closed.send_reminder(local(c.SendReminder, transfer_id=TID))


def test_a_received_reminder_is_logged_with_its_sender_and_message() -> None:
    record = receiver_in(S.NOTIFIED)
    reminder = message(
        c.ReceiveTransferReminder, OWNER, RECEIVER, waiting_for="acknowledgement", at=at(8)
    )
    record.receive_reminder(reminder)
    assert record.transfer(TID).reminders == [
        ReminderLogged(False, "acknowledgement", at(8), OWNER, reminder.message_id)
    ]
    assert record.events == [
        ReminderReceived(
            reference=REF,
            force=RECEIVER,
            at=at(8),
            transfer_id=TID,
            sender=OWNER,
            waiting_for="acknowledgement",
            state=S.NOTIFIED,
        )
    ]
