"""The kinds of task a person must do, what can close one, and the record of a closed task.

The values only; which tasks a record has is worked out in ``tasks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TaskKind(StrEnum):
    """What a task asks of this force."""

    WHEREABOUTS_UNKNOWN = "whereabouts_unknown"
    """The receiving force says the offender never arrived (failure to arrive)."""
    EVIDENCE_OF_ABSENCE = "evidence_of_absence"
    """Evidence that the offender left the registered address: act immediately."""
    ARRIVAL_OVERDUE = "arrival_overdue"
    """At the receiving force: acceptance overdue, the offender has not registered."""
    EXPIRED_TRANSFER = "expired_transfer"
    """The owner's transfer lapsed without an answer."""
    LAPSED_ACCEPTANCE = "lapsed_acceptance"
    """The receiver accepted, the owner never committed in time: the owner still manages."""
    POSSIBLE_WARRANT = "possible_warrant"
    """Entry to the same premises was sought and not obtained twice: consider s.96B."""


class TaskOutcome(StrEnum):
    """What came of a task, as the person who closes it records it."""

    CIRCULATED_MISSING = "circulated_missing"
    CIRCULATED_WANTED = "circulated_wanted"
    NEW_ADDRESS_FOUND = "new_address_found"
    REDIRECTED = "redirected"
    """The case was sent on to the force where the offender now is."""
    LOCATED = "located"
    ARRIVED = "arrived"
    """The offender arrived at the receiving force after all."""
    TRANSFER_RESTARTED = "transfer_restarted"
    REMAINS_HERE = "remains_here"
    """The offender stays with this force: the move is off."""
    WARRANT_SOUGHT = "warrant_sought"
    """A warrant under s.96B was applied for."""
    ENTRY_OBTAINED = "entry_obtained"
    """A later visit was let in: no warrant is needed."""
    WARRANT_NOT_NEEDED = "warrant_not_needed"
    """Considered, and not sought: the reason says why."""


@dataclass(frozen=True)
class ClosedTask:
    """A task someone closed: what was done, with which result, by whom, when and why."""

    task_id: str
    kind: TaskKind
    outcome: TaskOutcome
    done: str
    why: str
    by: str
    at: datetime
