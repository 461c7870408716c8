"""Events that are facts of this force's record: kept for audit and follow-up, not sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ownership.domain.consultation import ConsultationParty
from ownership.domain.deadlines import EscalationLevel
from ownership.domain.events.base import Event
from ownership.domain.history import ChangeKind, ConflictKind
from ownership.domain.pending import WaitingFor
from ownership.domain.places import Address
from ownership.domain.review import ReviewEntry
from ownership.domain.states import Step, TransferState
from ownership.domain.task_kinds import TaskKind, TaskOutcome
from ownership.domain.transfer import AuthorityExchange
from ownership.domain.values import MoveDetails, OffenderProfile


@dataclass(frozen=True, kw_only=True)
class OffenderRegistered(Event):
    """This force began managing the offender, as owner of epoch 1."""

    profile: OffenderProfile


@dataclass(frozen=True, kw_only=True)
class OwnershipChanged(Event):
    """This force's view of who owns the record changed."""

    previous_owner: str | None
    owner: str
    epoch: int
    kind: ChangeKind
    transfer_id: str | None


@dataclass(frozen=True, kw_only=True)
class TransferStarted(Event):
    """The owner drafted a transfer; the review begins (``past_date_reason``: why its
    expected move date is before the day it was started, if it is)."""

    transfer_id: str
    receiver: str
    details: MoveDetails
    past_date_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewItemCompleted(Event):
    """A pre-transfer review item was done."""

    transfer_id: str
    entry: ReviewEntry


@dataclass(frozen=True, kw_only=True)
class ReviewCompleted(Event):
    """Every mandatory review item is done; the transfer may be notified."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class DraftTransferCancelled(Event):
    """The owner dropped a transfer before the receiver was told of it."""

    transfer_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class HandOverCancelled(Event):
    """The owner called off a hand-over by hand after telling the authority (which runs no
    node): nothing is sent, so someone must tell ``authority`` by hand that it is off."""

    transfer_id: str
    authority: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class TransferExpired(Event):
    """The owner let a transfer lapse."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class AcceptanceLapsed(Event):
    """The owner did not commit an acceptance within its validity window: it still owns."""

    transfer_id: str
    accepted_at: datetime
    epoch: int


@dataclass(frozen=True, kw_only=True)
class PeerStepApplied(Event):
    """Another force's message moved a transfer in this view."""

    transfer_id: str
    step: Step
    sender: str
    state: TransferState
    message_id: str


@dataclass(frozen=True, kw_only=True)
class ConsultationOpened(Event):
    """The receiving force opened its consultation on risk and threats to life."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class ConsultationPartyRecorded(Event):
    """A party affected by the move was consulted."""

    transfer_id: str
    party: ConsultationParty


@dataclass(frozen=True, kw_only=True)
class ConsultationCompleted(Event):
    """The consultation is recorded as done; ownership may be accepted."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class VisitRecorded(Event):
    """A visit was recorded, with any departures from the guidance."""

    visit_id: str
    entry_obtained: bool
    compliance_issues: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class WarrantMayBeConsidered(Event):
    """Entry to one premises failed on two occasions: a s.96B warrant may be considered."""

    visit_ids: tuple[str, ...]
    address: str


@dataclass(frozen=True, kw_only=True)
class AbsenceRecorded(Event):
    """Evidence that the offender left the registered address was recorded."""

    date_left: date
    forwarding_address: Address | None
    forwarding_force: str | None
    reported_by_force: str | None


@dataclass(frozen=True, kw_only=True)
class ImmediateActionRequired(Event):
    """Something a coordinator must act on at once."""

    reason: str
    detail: str


@dataclass(frozen=True, kw_only=True)
class ReminderReceived(Event):
    """Another force reminded this force that a step is overdue."""

    transfer_id: str
    sender: str
    waiting_for: str
    state: TransferState


@dataclass(frozen=True, kw_only=True)
class ConflictRaised(Event):
    """Two views of the owner cannot both be right: raised to coordinators."""

    epoch: int
    held_owner: str
    claimed_owner: str | None
    claimed_by: str
    message_id: str
    kind: ConflictKind = ConflictKind.CLAIM


@dataclass(frozen=True, kw_only=True)
class DeadlineEscalated(Event):
    """An overdue step reached a rung of the escalation ladder."""

    transfer_id: str
    waiting_for: WaitingFor
    level: EscalationLevel
    party: str
    due: date
    reminded: bool


@dataclass(frozen=True, kw_only=True)
class PeerMessageRefused(Event):
    """Another force's message was refused; ``code`` is the refusal's reason."""

    code: str
    reason: str
    sender: str
    message: str
    message_id: str
    transfer_id: str | None
    epoch: int


@dataclass(frozen=True, kw_only=True)
class AuthorityStepRecorded(Event):
    """The owner recorded a step of a hand-over by hand to an authority that runs no node:
    how it was told, its acknowledgement or its acceptance."""

    transfer_id: str
    authority: str
    step: Step
    exchange: AuthorityExchange


@dataclass(frozen=True, kw_only=True)
class HandedToAuthority(Event):
    """The owner committed a hand-over by hand: the authority manages the offender now."""

    transfer_id: str
    authority_code: str
    authority: str
    epoch: int


@dataclass(frozen=True, kw_only=True)
class ReturnedFromAuthority(Event):
    """The authority that managed the offender handed them back: this force owns again."""

    authority_code: str
    authority: str
    epoch: int
    exchange: AuthorityExchange


@dataclass(frozen=True, kw_only=True)
class WhereaboutsUnknown(Event):
    """The receiver says the offender never arrived: this force keeps a record of someone lost."""

    transfer_id: str
    reported_by: str
    attempts: int


@dataclass(frozen=True, kw_only=True)
class TaskClosed(Event):
    """Someone closed a task on the worklist: what was done, with which result, and why."""

    task_id: str
    kind: TaskKind
    outcome: TaskOutcome
    done: str
    why: str
    by: str
