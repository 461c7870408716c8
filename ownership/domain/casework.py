"""Casework around a record: visits, absence from the registered address, reminders.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from ownership.domain.absence import ABSENCE_ACTION, Absence
from ownership.domain.commands import (
    ReceiveOffenderAbsent,
    ReceiveTransferReminder,
    RecordAbsence,
    RecordVisit,
    SendReminder,
)
from ownership.domain.errors import (
    DuplicateVisitError,
    NoReminderForStepError,
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
from ownership.domain.guards import (
    check_addressed,
    check_claim,
    check_epoch,
    owned_transfer,
    peer_transfer,
    received_transfer,
)
from ownership.domain.handing_over import require_federated
from ownership.domain.pending import WaitingFor, acting_force, waiting_for
from ownership.domain.record_core import RecordCore, emit
from ownership.domain.states import Side, Step
from ownership.domain.transfer import ReminderLogged
from ownership.domain.visits import (
    WarrantConsideration,
    warrant_consideration,
    warrant_considerations,
)

REMINDABLE = frozenset(
    {
        WaitingFor.ACKNOWLEDGEMENT,
        WaitingFor.CONSULTATION,
        WaitingFor.ACCEPTANCE,
        WaitingFor.COMMIT,
    }
)
"""What a reminder can chase: the receiver's acknowledgement or acceptance, or the owner's
commit of an acceptance."""

# The message a reminder chases: the owner's latest notification or amendment, or, for the
# commit, the receiver's acceptance.
_AWAITING_ANSWER = (Step.NOTIFY, Step.AMEND)


def warrant(record: RecordCore) -> WarrantConsideration | None:
    """The first s.96B note, once entry to one premises was sought and not obtained twice."""
    return warrant_consideration(record.profile.category, record.visits)


def warrants(record: RecordCore) -> tuple[WarrantConsideration, ...]:
    """Every s.96B note on the record: one per premises with two failed entries."""
    return warrant_considerations(record.profile.category, record.visits)


def record_visit(record: RecordCore, cmd: RecordVisit) -> None:
    """Record a visit, successful or not, with its departures from the guidance."""
    visit = cmd.visit
    if any(v.visit_id == visit.visit_id for v in record.visits):
        raise DuplicateVisitError(f"visit {visit.visit_id} is already recorded")
    before = warrants(record)
    record.visits.append(visit)
    emit(
        record,
        VisitRecorded(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            visit_id=visit.visit_id,
            entry_obtained=visit.entry_obtained,
            compliance_issues=visit.compliance_issues(),
        ),
    )
    for note in warrants(record)[len(before) :]:
        emit(
            record,
            WarrantMayBeConsidered(
                reference=record.reference,
                force=record.held_by,
                at=cmd.at,
                visit_ids=note.visit_ids,
                address=note.address,
            ),
        )


def record_absence(record: RecordCore, cmd: RecordAbsence) -> None:
    """Record that the offender left; tell the force of the forwarding address."""
    if not record.is_owner:
        raise NotTheOwnerError(f"{record.owner} manages {record.reference}; tell them")
    absence = Absence(
        cmd.date_left,
        cmd.forwarding_address,
        cmd.forwarding_force,
        cmd.evidence,
        cmd.by,
        cmd.at,
        source=cmd.source,
    )
    _note_absence(record, absence)
    destination = cmd.forwarding_force
    if destination is None or destination == record.held_by:
        return
    emit(
        record,
        OffenderAbsent(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=destination,
            transfer_id=None,
            epoch=record.epoch,
            profile=record.profile,
            date_left=cmd.date_left,
            forwarding_address=cmd.forwarding_address,
            evidence=cmd.evidence,
            source=cmd.source,
        ),
    )


def receive_absence_notice(record: RecordCore, msg: ReceiveOffenderAbsent) -> None:
    """The owner says the offender left for an address in our area: act at once."""
    check_addressed(record, msg)
    check_claim(record, msg)
    absence = Absence(
        msg.date_left,
        msg.forwarding_address,
        record.held_by,
        msg.evidence,
        msg.sender,
        msg.recorded_at or msg.at,
        reported_by_force=msg.sender,
        source=msg.source,
    )
    _note_absence(record, absence)


def _note_absence(record: RecordCore, absence: Absence) -> None:
    record.absences.append(absence)
    emit(
        record,
        AbsenceRecorded(
            reference=record.reference,
            force=record.held_by,
            at=absence.recorded_at,
            date_left=absence.date_left,
            forwarding_address=absence.forwarding_address,
            forwarding_force=absence.forwarding_force,
            reported_by_force=absence.reported_by_force,
        ),
    )
    emit(
        record,
        ImmediateActionRequired(
            reference=record.reference,
            force=record.held_by,
            at=absence.recorded_at,
            reason="offender_absent",
            detail=ABSENCE_ACTION,
        ),
    )


def send_reminder(record: RecordCore, cmd: SendReminder) -> None:
    """Remind the other force that the step the transfer waits for is overdue."""
    transfer = (
        owned_transfer(record, cmd.transfer_id)
        if record.transfer(cmd.transfer_id).side is Side.OWNER
        else received_transfer(record, cmd.transfer_id)
    )
    require_federated(transfer, "a reminder")
    waits = waiting_for(transfer)
    if waits is None or acting_force(transfer) == record.held_by:
        raise NothingOverdueError(f"transfer {cmd.transfer_id} waits on {record.held_by}")
    if waits not in REMINDABLE:
        raise NoReminderForStepError(f"the protocol has no reminder for {waits}")
    chased = (Step.ACCEPT,) if waits is WaitingFor.COMMIT else _AWAITING_ANSWER
    awaiting = transfer.last_message(*chased)
    transfer.reminders.append(ReminderLogged(True, waits, cmd.at, cmd.by))
    emit(
        record,
        ReminderSent(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.peer,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            waiting_for=waits,
            original_message_id=awaiting.message_id if awaiting else None,
            originally_sent_at=awaiting.at if awaiting else None,
            reminder_number=sum(1 for r in transfer.reminders if r.sent),
        ),
    )


def receive_reminder(record: RecordCore, msg: ReceiveTransferReminder) -> None:
    """The other force says our step is overdue; recorded whatever our state."""
    transfer = peer_transfer(record, msg, None)
    check_epoch(record, msg, transfer.epoch)
    transfer.reminders.append(
        ReminderLogged(False, msg.waiting_for, msg.at, msg.sender, msg.message_id)
    )
    emit(
        record,
        ReminderReceived(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            transfer_id=transfer.transfer_id,
            sender=msg.sender,
            waiting_for=msg.waiting_for,
            state=transfer.state,
        ),
    )
