"""One offender's record as a timeline: every owner and epoch, moves, visits and absences."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ownership.domain.history import ChangeKind
from ownership.domain.record import OffenderRecord
from ownership.domain.states import Step
from ownership.domain.transfer import Transfer

STEP_LABELS = {
    Step.COMPLETE_REVIEW: "review completed",
    Step.NOTIFY: "notified",
    Step.AMEND: "amended",
    Step.ACKNOWLEDGE: "acknowledged",
    Step.DECLINE: "declined",
    Step.CANCEL: "cancelled",
    Step.EXPIRE: "expired",
    Step.ACCEPT: "ownership accepted",
    Step.COMMIT: "ownership transferred",
    Step.REFUSE: "ownership refused",
    Step.TELL_AUTHORITY: "authority told (by hand)",
    Step.AUTHORITY_ACKNOWLEDGED: "authority acknowledged (by hand)",
    Step.AUTHORITY_ACCEPTED: "authority accepted (by hand)",
    Step.FAIL_TO_ARRIVE: "failed to arrive: whereabouts unknown",
    Step.WITHDRAW: "acceptance withdrawn",
    Step.LAPSE: "acceptance lapsed uncommitted",
}

_CHANGE_LABELS = {
    ChangeKind.REGISTERED: "registered: owner from epoch {epoch}",
    ChangeKind.TRANSFERRED: "transferred: owner from epoch {epoch}",
    ChangeKind.OBSERVED: "seen to own epoch {epoch}",
    ChangeKind.HANDED_TO_AUTHORITY: "manages it from epoch {epoch} (handed over by hand)",
    ChangeKind.RETURNED_FROM_AUTHORITY: "owns it again from epoch {epoch} (handed back)",
    ChangeKind.RESOLVED: "conflict resolved: owner from epoch {epoch}",
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    kind: str
    what: str
    by: str = ""
    detail: str = ""


def timeline(record: OffenderRecord) -> list[Entry]:
    """Everything the record holds, in the order it happened."""
    entries = [
        *_ownership(record),
        *(entry for transfer in record.transfers for entry in _transfer(transfer)),
        *_visits(record),
        *_absences(record),
        *_escalations(record),
        *_conflicts(record),
        *_refusals(record),
        *_closed_tasks(record),
    ]
    return sorted(entries, key=lambda entry: entry.at)


def _ownership(record: OffenderRecord) -> Iterator[Entry]:
    for change in record.history:
        what = f"{change.owner} " + _CHANGE_LABELS[change.kind].format(epoch=change.epoch)
        detail = f"previously {change.previous_owner}" if change.previous_owner else ""
        if change.temporary_until:
            detail += f"; temporary until {change.temporary_until:%d %b %Y}"
        yield Entry(change.changed_at, "ownership", what, detail=detail.strip("; "))


def _transfer(transfer: Transfer) -> Iterator[Entry]:
    towards = f"{transfer.owner} → {transfer.receiver}"
    kind = "temporary move" if transfer.details.is_temporary else "transfer"
    for step in transfer.steps:
        what = f"{kind.capitalize()} {towards}: {STEP_LABELS.get(step.step, step.step)}"
        yield Entry(step.at, "transfer", what, step.by, step.note)
    for reminder in transfer.reminders:
        whom = f"sent to {transfer.peer}" if reminder.sent else f"received from {reminder.by}"
        yield Entry(
            reminder.at, "reminder", f"Reminder {whom}", reminder.by,
            f"waiting for {reminder.waiting_for}",
        )  # fmt: skip
    if transfer.consultation is not None:
        yield from _consultation(transfer)
    failure = transfer.arrival_failure
    if failure is not None:
        for attempt in failure.attempts:
            what = f"Tried to find the offender: {str(attempt.check).replace('_', ' ')}"
            yield Entry(attempt.at, "arrival", what, failure.reported_by, attempt.outcome)


def _closed_tasks(record: OffenderRecord) -> Iterator[Entry]:
    for task in record.closed_tasks:
        what = f"Task closed: {str(task.kind).replace('_', ' ')} ({task.outcome})"
        yield Entry(task.at, "task", what, task.by, f"{task.done}; why: {task.why}")


def _consultation(transfer: Transfer) -> Iterator[Entry]:
    consultation = transfer.consultation
    if consultation is None:
        return
    for party in consultation.parties:
        yield Entry(
            party.consulted_at, "consultation", f"Consulted {party.party} ({party.kind})",
            party.consulted_by, party.outcome,
        )  # fmt: skip
    if consultation.completed_at is not None:
        yield Entry(
            consultation.completed_at, "consultation", "Consultation recorded as done",
            consultation.completed_by or "", consultation.summary,
        )  # fmt: skip


def _visits(record: OffenderRecord) -> Iterator[Entry]:
    for visit in record.visits:
        entry = "entry obtained" if visit.entry_obtained else f"entry {visit.entry}"
        issues = "; ".join(visit.compliance_issues())
        detail = visit.outcome + (f" (departures from guidance: {issues})" if issues else "")
        by = ", ".join(visitor.name for visitor in visit.visitors)
        yield Entry(visit.started_at, "visit", f"Visit to {visit.address}: {entry}", by, detail)


def _absences(record: OffenderRecord) -> Iterator[Entry]:
    for absence in record.absences:
        where = str(absence.forwarding_address) if absence.forwarding_address else "not known"
        force = f" ({absence.forwarding_force})" if absence.forwarding_force else ""
        yield Entry(
            absence.recorded_at,
            "absence",
            f"Absent from the registered address since {absence.date_left:%d %b %Y}",
            absence.reported_by_force or absence.recorded_by,
            f"forwarding address: {where}{force}; evidence: {absence.evidence}",
        )


def _escalations(record: OffenderRecord) -> Iterator[Entry]:
    for escalation in record.escalations:
        level = str(escalation.level).replace("_", " ")
        reminded = "; the other force was reminded" if escalation.reminded else ""
        yield Entry(
            escalation.at,
            "escalation",
            f"{escalation.waiting_for} overdue since {escalation.due:%d %b %Y}:"
            f" escalated to {level}",
            escalation.by,
            f"waiting on {escalation.party}{reminded}",
        )


def _conflicts(record: OffenderRecord) -> Iterator[Entry]:
    for conflict in record.conflicts:
        yield Entry(
            conflict.raised_at,
            "conflict",
            f"Conflict ({str(conflict.kind).replace('_', ' ')}) at epoch {conflict.epoch}: we"
            f" hold {conflict.held_owner}; {conflict.claimed_by} shows"
            f" {conflict.claimed_owner or 'no owner'}",
            conflict.claimed_by,
        )


def _refusals(record: OffenderRecord) -> Iterator[Entry]:
    for refusal in record.refusals:
        yield Entry(
            refusal.refused_at,
            "refusal",
            f"Refused {refusal.message} from {refusal.sender}",
            refusal.sender,
            f"{refusal.code}: {refusal.reason}",
        )
