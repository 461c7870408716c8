"""Visits and the s.96B warrant note, consultation, absence, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain.consultation import PartyKind
from ownership.domain.errors import (
    CannotEstablishViewError,
    ConsultationIncompleteError,
    ConsultationNotOpenError,
    DuplicateVisitError,
    InvalidDetailsError,
    NothingOverdueError,
    NotTheOwnerError,
)
from ownership.domain.events import (
    AbsenceRecorded,
    ConsultationOpened,
    ImmediateActionRequired,
    OffenderAbsent,
    ReminderReceived,
    ReminderSent,
    VisitRecorded,
    WarrantMayBeConsidered,
)
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState
from ownership.domain.visits import EntryOutcome
from ownership.domain.visits import Visit as VisitRecord

from .builders import (
    MAPPA_RSO,
    OTHER,
    OWNER,
    PDP,
    RECEIVER,
    T0,
    TID,
    TODAY,
    address,
    consult,
    local,
    message,
    owner_in,
    receiver_in,
    register,
    visit,
)

S = TransferState


def _visit(record: OffenderRecord, visit_id: str, entry: EntryOutcome) -> None:
    record.record_visit(local(c.RecordVisit, visit=visit(visit_id, entry)))


def test_an_unsuccessful_visit_is_recorded_like_the_rest() -> None:
    record = register()
    _visit(record, "V1", EntryOutcome.NO_ANSWER)
    assert record.visits[0].entry is EntryOutcome.NO_ANSWER
    assert isinstance(record.events[-1], VisitRecorded)
    assert record.warrant is None


def test_two_failed_entries_show_a_warrant_may_be_considered() -> None:
    record = register()
    _visit(record, "V1", EntryOutcome.REFUSED)
    _visit(record, "V2", EntryOutcome.OBTAINED)
    _visit(record, "V3", EntryOutcome.REFUSED)
    assert record.warrant is not None
    assert record.warrant.visit_ids == ("V1", "V3")
    assert "superintendent" in record.warrant.authority
    assert "96B" in record.warrant.authority
    assert isinstance(record.events[-1], WarrantMayBeConsidered)


def test_the_warrant_note_is_for_registered_sex_offenders_only() -> None:
    record = register(PDP)
    _visit(record, "V1", EntryOutcome.REFUSED)
    _visit(record, "V2", EntryOutcome.REFUSED)
    assert record.warrant is None


def test_a_visit_records_its_departures_from_the_guidance() -> None:
    record = register()
    record.record_visit(local(c.RecordVisit, visit=visit("V1", two_people=False)))
    recorded = record.events[-1]
    assert isinstance(recorded, VisitRecorded)
    assert recorded.compliance_issues == ("not two visitors with an accredited offender manager",)


def test_a_visit_is_recorded_once() -> None:
    record = register()
    _visit(record, "V1", EntryOutcome.OBTAINED)
    with pytest.raises(DuplicateVisitError):
        _visit(record, "V1", EntryOutcome.OBTAINED)


def test_the_risk_assessment_comes_before_the_visit() -> None:
    good = visit("V1")
    with pytest.raises(InvalidDetailsError):
        VisitRecord(**{**good.__dict__, "risk_assessed_at": good.started_at + timedelta(1)})


def test_acknowledging_opens_the_consultation_once() -> None:
    record = receiver_in(S.NOTIFIED)
    record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID))
    assert any(isinstance(e, ConsultationOpened) for e in record.events)
    assert record.transfer(TID).consultation is not None


def test_no_consultation_before_acknowledgement() -> None:
    record = receiver_in(S.NOTIFIED)
    with pytest.raises(ConsultationNotOpenError):
        consult(record)


def test_ownership_is_not_accepted_before_the_consultation_is_done() -> None:
    record = receiver_in(S.ACKNOWLEDGED, consulted=False)
    with pytest.raises(ConsultationIncompleteError):
        record.accept(local(c.AcceptOwnership, transfer_id=TID))
    consult(record)
    record.accept(local(c.AcceptOwnership, transfer_id=TID))
    assert record.transfer(TID).state is S.ACCEPTED


def test_a_mappa_case_needs_the_lead_agency_consulted() -> None:
    record = receiver_in(S.ACKNOWLEDGED, MAPPA_RSO, consulted=False)
    with pytest.raises(ConsultationIncompleteError, match="lead agency"):
        consult(record, PartyKind.WITNESS_PROTECTION_UNIT)
    consulted = record.transfer(TID).consultation
    assert consulted is not None
    assert [p.kind for p in consulted.parties] == [PartyKind.WITNESS_PROTECTION_UNIT]


def test_absence_is_acted_on_and_sent_to_the_forwarding_force() -> None:
    record = register()
    record.record_absence(
        local(
            c.RecordAbsence,
            date_left=TODAY,
            forwarding_address=address("3 Far Lane", "Hull"),
            forwarding_force=OTHER,
            evidence="landlord statement",
        )
    )
    kinds = [type(e) for e in record.events]
    assert kinds == [AbsenceRecorded, ImmediateActionRequired, OffenderAbsent]
    absent = record.events[-1]
    assert isinstance(absent, OffenderAbsent)
    assert (absent.recipient, absent.forwarding_address) == (OTHER, address("3 Far Lane", "Hull"))


def test_absence_within_our_own_area_sends_nothing() -> None:
    record = register()
    record.record_absence(
        local(
            c.RecordAbsence,
            date_left=TODAY,
            forwarding_address=None,
            forwarding_force=None,
            evidence="flat empty",
        )
    )
    assert not any(isinstance(e, OffenderAbsent) for e in record.events)
    assert record.absences[0].forwarding_address is None


def test_only_the_owner_records_absence() -> None:
    record = receiver_in(S.NOTIFIED)
    with pytest.raises(NotTheOwnerError):
        record.record_absence(
            local(
                c.RecordAbsence,
                date_left=TODAY,
                forwarding_address=None,
                forwarding_force=None,
                evidence="x",
            )
        )


def _absence_notice(recipient: str) -> c.ReceiveOffenderAbsent:
    return message(
        c.ReceiveOffenderAbsent,
        OWNER,
        recipient,
        profile=MAPPA_RSO,
        date_left=TODAY,
        forwarding_address=address("3 Far Lane"),
        evidence="neighbour",
    )


def test_an_absence_notice_to_a_force_with_a_view_asks_for_action() -> None:
    record = receiver_in(S.NOTIFIED)
    record.receive_absence_notice(_absence_notice(RECEIVER))
    assert record.absences[0].reported_by_force == OWNER
    assert isinstance(record.events[-1], ImmediateActionRequired)


def test_an_absence_notice_never_opens_a_view() -> None:
    with pytest.raises(CannotEstablishViewError):
        OffenderRecord.first_heard(_absence_notice(OTHER), OTHER, MAPPA_RSO)


def test_the_owner_reminds_a_receiver_that_has_not_acknowledged() -> None:
    record = owner_in(S.NOTIFIED)
    record.send_reminder(local(c.SendReminder, transfer_id=TID))
    sent = record.events[-1]
    assert isinstance(sent, ReminderSent)
    assert (sent.recipient, sent.waiting_for) == (RECEIVER, WaitingFor.ACKNOWLEDGEMENT)


def test_no_reminder_when_the_transfer_waits_on_ourselves() -> None:
    record = owner_in(S.ACCEPTED)
    with pytest.raises(NothingOverdueError):
        record.send_reminder(local(c.SendReminder, transfer_id=TID))


def test_a_received_reminder_is_recorded() -> None:
    record = receiver_in(S.NOTIFIED)
    record.receive_reminder(
        message(c.ReceiveTransferReminder, OWNER, RECEIVER, waiting_for="acknowledgement")
    )
    assert record.transfer(TID).reminders[0].at == T0
    assert isinstance(record.events[-1], ReminderReceived)
