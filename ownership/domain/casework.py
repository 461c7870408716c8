"""Casework around a record: visits, absence from the registered address, reminders."""

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
from ownership.domain.pending import WaitingFor, acting_force, waiting_for
from ownership.domain.record_core import RecordCore
from ownership.domain.states import Side, Step
from ownership.domain.transfer import ReminderLogged
from ownership.domain.visits import WarrantConsideration, warrant_consideration

REMINDABLE = frozenset({WaitingFor.ACKNOWLEDGEMENT, WaitingFor.CONSULTATION, WaitingFor.ACCEPTANCE})
"""What a reminder can chase: the receiver's acknowledgement, or its acceptance."""

# The message a reminder chases is the owner's latest notification or amendment.
_AWAITING_ANSWER = (Step.NOTIFY, Step.AMEND)


class CaseworkSteps(RecordCore):
    """Visits, absences and reminders: recorded by whichever force's officers act."""

    @property
    def warrant(self) -> WarrantConsideration | None:
        """The s.96B note, once entry has been sought and not obtained twice."""
        return warrant_consideration(self.profile.category, self.visits)

    def record_visit(self, cmd: RecordVisit) -> None:
        """Record a visit, successful or not, with its departures from the guidance."""
        visit = cmd.visit
        if any(v.visit_id == visit.visit_id for v in self.visits):
            raise DuplicateVisitError(f"visit {visit.visit_id} is already recorded")
        before = self.warrant
        self.visits.append(visit)
        self._emit(
            VisitRecorded(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                visit_id=visit.visit_id,
                entry_obtained=visit.entry_obtained,
                compliance_issues=visit.compliance_issues(),
            )
        )
        after = self.warrant
        if before is None and after is not None:
            self._emit(
                WarrantMayBeConsidered(
                    reference=self.reference,
                    force=self.held_by,
                    at=cmd.at,
                    visit_ids=after.visit_ids,
                )
            )

    def record_absence(self, cmd: RecordAbsence) -> None:
        """Record that the offender left; tell the force of the forwarding address."""
        if not self.is_owner:
            raise NotTheOwnerError(f"{self.owner} manages {self.reference}; tell them")
        absence = Absence(
            cmd.date_left,
            cmd.forwarding_address,
            cmd.forwarding_force,
            cmd.evidence,
            cmd.by,
            cmd.at,
            source=cmd.source,
        )
        self._note_absence(absence)
        destination = cmd.forwarding_force
        if destination is None or destination == self.held_by:
            return
        self._emit(
            OffenderAbsent(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=destination,
                transfer_id=None,
                epoch=self.epoch,
                profile=self.profile,
                date_left=cmd.date_left,
                forwarding_address=cmd.forwarding_address,
                evidence=cmd.evidence,
                source=cmd.source,
            )
        )

    def receive_absence_notice(self, msg: ReceiveOffenderAbsent) -> None:
        """The owner says the offender left for an address in our area: act at once."""
        self._check_addressed(msg)
        self._check_claim(msg)
        absence = Absence(
            msg.date_left,
            msg.forwarding_address,
            self.held_by,
            msg.evidence,
            msg.sender,
            msg.recorded_at or msg.at,
            reported_by_force=msg.sender,
            source=msg.source,
        )
        self._note_absence(absence)

    def _note_absence(self, absence: Absence) -> None:
        self.absences.append(absence)
        self._emit(
            AbsenceRecorded(
                reference=self.reference,
                force=self.held_by,
                at=absence.recorded_at,
                date_left=absence.date_left,
                forwarding_address=absence.forwarding_address,
                forwarding_force=absence.forwarding_force,
                reported_by_force=absence.reported_by_force,
            )
        )
        self._emit(
            ImmediateActionRequired(
                reference=self.reference,
                force=self.held_by,
                at=absence.recorded_at,
                reason="offender_absent",
                detail=ABSENCE_ACTION,
            )
        )

    def send_reminder(self, cmd: SendReminder) -> None:
        """Remind the other force that the step the transfer waits for is overdue."""
        transfer = (
            self._owned_transfer(cmd.transfer_id)
            if self.transfer(cmd.transfer_id).side is Side.OWNER
            else self._received_transfer(cmd.transfer_id)
        )
        waits = waiting_for(transfer)
        if waits is None or acting_force(transfer) == self.held_by:
            raise NothingOverdueError(f"transfer {cmd.transfer_id} waits on {self.held_by}")
        if waits not in REMINDABLE:
            raise NoReminderForStepError(f"the protocol has no reminder for {waits}")
        awaiting = transfer.last_message(*_AWAITING_ANSWER)
        transfer.reminders.append(ReminderLogged(True, waits, cmd.at, cmd.by))
        self._emit(
            ReminderSent(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.peer,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch,
                waiting_for=waits,
                original_message_id=awaiting.message_id if awaiting else None,
                originally_sent_at=awaiting.at if awaiting else None,
                reminder_number=sum(1 for r in transfer.reminders if r.sent),
            )
        )

    def receive_reminder(self, msg: ReceiveTransferReminder) -> None:
        """The other force says our step is overdue; recorded whatever our state."""
        transfer = self._peer_transfer(msg, None)
        self._check_epoch(msg, transfer.epoch)
        transfer.reminders.append(
            ReminderLogged(False, msg.waiting_for, msg.at, msg.sender, msg.message_id)
        )
        self._emit(
            ReminderReceived(
                reference=self.reference,
                force=self.held_by,
                at=msg.at,
                transfer_id=transfer.transfer_id,
                sender=msg.sender,
                waiting_for=msg.waiting_for,
                state=transfer.state,
            )
        )
