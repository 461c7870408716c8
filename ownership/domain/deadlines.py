"""Service levels, the escalation ladder and the final deadline of each overdue step.

A step is due a number of days after what starts its clock: the notification (or latest
amendment) for an acknowledgement, the expected move date for an acceptance, the acceptance
for the owner's commit, the end date of a temporary move for the return. Once a step is
overdue it climbs a ladder, one rung at a time and at least ``escalate_every_days`` apart:
the offender manager, then a supervisor, then the force's MAPPA coordinator. A step found
long overdue climbs one rung per pass of the scheduler and then waits the interval, so each
rung has time to act. After the last rung (and its interval) and past the final deadline, a
transfer still waiting for the receiving force expires. An acceptance the owner has not
committed within its validity window lapses: the owner keeps the record at the same epoch.
Time is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ownership.domain.errors import InvalidDetailsError
from ownership.domain.history import TemporaryMove
from ownership.domain.pending import WaitingFor, acting_force, waiting_for
from ownership.domain.states import Side, Step
from ownership.domain.transfer import Transfer


class EscalationLevel(StrEnum):
    """The rungs of the ladder, in the order an overdue step climbs them."""

    OFFENDER_MANAGER = "offender_manager"
    SUPERVISOR = "supervisor"
    MAPPA_COORDINATOR = "mappa_coordinator"


LADDER: tuple[EscalationLevel, ...] = tuple(EscalationLevel)


def days_after(day: date, days: int) -> date:
    """The date `days` after `day`, or the last date there is: a sender may name 9999-12-31,
    and a deadline after it is simply never reached."""
    if days > (date.max - day).days:
        return date.max
    return day + timedelta(days=days)


@dataclass(frozen=True)
class ServiceLevels:
    """How many days each step may take, how fast it escalates, and when a transfer lapses."""

    acknowledge_days: int = 5
    accept_days_after_move: int = 7
    return_days_after_end: int = 2
    escalate_every_days: int = 3
    expire_days_after_due: int = 14
    commit_days: int = 3
    acceptance_valid_days: int = 28
    answer_request_days: int = 5

    def __post_init__(self) -> None:
        levels = (self.acknowledge_days, self.accept_days_after_move, self.return_days_after_end)
        if min(*levels, self.commit_days) < 0:
            raise InvalidDetailsError("a service level cannot be negative")
        if self.answer_request_days < 0:
            raise InvalidDetailsError("a service level cannot be negative")
        if self.escalate_every_days < 1:
            raise InvalidDetailsError("rungs of the ladder must be at least a day apart")
        last_rung = self.escalate_every_days * (len(LADDER) - 1)
        if self.expire_days_after_due <= last_rung:
            raise InvalidDetailsError("the final deadline must come after the last rung")
        if self.acceptance_valid_days <= self.commit_days + last_rung:
            raise InvalidDetailsError("an acceptance must stay valid past the commit's last rung")

    def rung_date(self, due: date, rung: int) -> date:
        """The first day rung ``rung`` (0 = the offender manager) is reached."""
        return days_after(due, 1 + rung * self.escalate_every_days)

    def next_after(self, rung: Escalation) -> date:
        """The first day the step may go further once ``rung`` was reached."""
        return days_after(rung.at.date(), self.escalate_every_days)

    def final_deadline(self, due: date) -> date:
        """The last day the step may still be taken before the transfer expires."""
        return days_after(due, self.expire_days_after_due)


@dataclass(frozen=True)
class Escalation:
    """One rung reached by an overdue step, recorded on the record."""

    transfer_id: str
    waiting_for: WaitingFor
    level: EscalationLevel
    party: str
    due: date
    at: datetime
    by: str
    reminded: bool = False


@dataclass(frozen=True)
class OverdueStep:
    """A step past its service level: what, who must act, when it was due."""

    transfer_id: str
    waiting_for: WaitingFor
    party: str
    due: date
    transfer: Transfer | None = None

    def key(self) -> tuple[str, WaitingFor, date]:
        """Escalations of the same step with the same due date share one ladder."""
        return (self.transfer_id, self.waiting_for, self.due)


_CHASED = frozenset(
    {
        WaitingFor.ACKNOWLEDGEMENT,
        WaitingFor.CONSULTATION,
        WaitingFor.ACCEPTANCE,
        WaitingFor.COMMIT,
    }
)


def accepted_at(transfer: Transfer) -> datetime | None:
    """When the receiver's acceptance was sent (its view) or arrived (the owner's), if it was."""
    accepted = transfer.last_message(Step.ACCEPT)
    return accepted.at if accepted is not None else None


def acceptance_lapses_on(transfer: Transfer, levels: ServiceLevels) -> date | None:
    """The first day an acceptance still waiting for the commit has lapsed, if it waits."""
    since = accepted_at(transfer)
    if waiting_for(transfer) is not WaitingFor.COMMIT or since is None:
        return None
    return days_after(since.date(), levels.acceptance_valid_days + 1)


def acceptance_lapses(transfer: Transfer, levels: ServiceLevels, today: date) -> bool:
    """Whether the owner lets this uncommitted acceptance lapse on ``today``.

    Only the owner lets an acceptance lapse; the receiver hears of it from the owner.
    """
    lapses_on = acceptance_lapses_on(transfer, levels)
    return transfer.side is Side.OWNER and lapses_on is not None and today >= lapses_on


def step_due(transfer: Transfer, levels: ServiceLevels) -> tuple[WaitingFor, date] | None:
    """What a transfer waits for and when that is due, if a service level covers it."""
    waits = waiting_for(transfer)
    if waits is WaitingFor.ACKNOWLEDGEMENT:
        sent = transfer.last_message(Step.NOTIFY, Step.AMEND)
        since = sent.at if sent is not None else transfer.last_step_at
        return waits, days_after(since.date(), levels.acknowledge_days)
    if waits in {WaitingFor.ACCEPTANCE, WaitingFor.CONSULTATION}:
        expected = transfer.details.expected_date
        return WaitingFor.ACCEPTANCE, days_after(expected, levels.accept_days_after_move)
    accepted = accepted_at(transfer)
    if waits is WaitingFor.COMMIT and accepted is not None:
        return waits, days_after(accepted.date(), levels.commit_days)
    return None


def overdue_steps(
    transfers: list[Transfer], move: TemporaryMove | None, levels: ServiceLevels, today: date
) -> list[OverdueStep]:
    """Every step on a record that is past its service level on ``today``."""
    found: list[OverdueStep] = []
    for transfer in transfers:
        due = step_due(transfer, levels)
        party = acting_force(transfer)
        if due is None or party is None or waiting_for(transfer) not in _CHASED:
            continue
        if today > due[1]:
            found.append(OverdueStep(transfer.transfer_id, due[0], party, due[1], transfer))
    if move is not None:
        due_back = days_after(move.return_due, levels.return_days_after_end)
        if today > due_back:
            found.append(
                OverdueStep(move.transfer_id, WaitingFor.RETURN, move.away_force, due_back)
            )
    return found


def climbed(step: OverdueStep, reached: list[Escalation]) -> list[Escalation]:
    """The rungs this step's ladder has climbed, in the order they were reached."""
    return [e for e in reached if (e.transfer_id, e.waiting_for, e.due) == step.key()]


def next_rung(
    step: OverdueStep, reached: list[Escalation], levels: ServiceLevels, today: date
) -> int | None:
    """The next rung this step has come to on ``today`` and not yet climbed, if any.

    Rung ``n`` is reached ``1 + n * escalate_every_days`` after the due date, and never
    before the rung below has stood for ``escalate_every_days``: a step many days overdue
    (the scheduler was down, the record arrived late) climbs one rung, then the next an
    interval later, rather than every rung at once.
    """
    below = climbed(step, reached)
    if len(below) >= len(LADDER) or today < levels.rung_date(step.due, len(below)):
        return None
    if below and today < levels.next_after(below[-1]):
        return None
    return len(below)


def lapses(
    step: OverdueStep, reached: list[Escalation], levels: ServiceLevels, today: date
) -> bool:
    """Whether a transfer waiting for the receiver has passed its final deadline.

    Only the owner lets a transfer lapse, only once every rung has been climbed and the last
    has stood for ``escalate_every_days``, and only while it still waits for the receiving
    force's acknowledgement or acceptance.
    """
    transfer = step.transfer
    if transfer is None or transfer.side is not Side.OWNER or step.party == transfer.owner:
        return False
    below = climbed(step, reached)
    if len(below) < len(LADDER) or today < levels.next_after(below[-1]):
        return False
    return today > levels.final_deadline(step.due)
