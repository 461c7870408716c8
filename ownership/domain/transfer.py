"""One transfer of an offender between two forces, as one of them sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from ownership.domain.arrival import ArrivalFailure
from ownership.domain.consultation import Consultation
from ownership.domain.errors import IllegalTransitionError
from ownership.domain.review import ReviewChecklist
from ownership.domain.review_report import ReviewReport
from ownership.domain.states import (
    Side,
    Step,
    TransferState,
    is_terminal,
    next_manual_state,
    next_state,
)
from ownership.domain.values import Contact, MoveDetails


class DeclineReason(StrEnum):
    """Why the receiving force declined."""

    NOT_OURS = "not_ours"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    ADDRESS_NOT_VERIFIED = "address_not_verified"
    DUPLICATE_TRANSFER = "duplicate_transfer"
    OTHER = "other"


class CancelReason(StrEnum):
    """Why the owning force withdrew a transfer."""

    MOVE_ABANDONED = "move_abandoned"
    OFFENDER_IN_CUSTODY = "offender_in_custody"
    OFFENDER_DECEASED = "offender_deceased"
    NOTIFIED_IN_ERROR = "notified_in_error"
    OTHER = "other"


class RefusalReason(StrEnum):
    """Why the owning force refused an acceptance."""

    TRANSFER_CANCELLED = "transfer_cancelled"
    TRANSFER_SUPERSEDED = "transfer_superseded"
    TRANSFER_UNKNOWN = "transfer_unknown"
    EPOCH_STALE = "epoch_stale"


@dataclass(frozen=True)
class Decline:
    """The receiving force's reason for declining, what it needs, and who it thinks it is."""

    reason: DeclineReason
    text: str
    missing_information: tuple[str, ...] = ()
    suggested_force: str | None = None


@dataclass(frozen=True)
class Registration:
    """The offender's registration at the new address with the receiving force."""

    registered_on: date
    station: str


@dataclass(frozen=True)
class Handover:
    """The committed handover: when responsibility passed and where the records are."""

    effective_at: datetime
    records_sent: bool = False
    records_reference: str | None = None


@dataclass(frozen=True)
class AuthorityExchange:
    """One exchange with an external authority, as the owner records it.

    ``at`` is when it happened (not when it was recorded); ``who`` is the person at the
    authority; ``how`` the means (telephone, secure email, letter); ``reference`` the
    authority's own reference, if it gave one.
    """

    at: datetime
    who: str
    how: str = ""
    reference: str = ""


@dataclass
class ManualHandover:
    """A hand-over by hand to an authority that runs no node (Police Scotland, the PSNI...).

    Nothing is sent to it over the federation: the owner records how and when it was told,
    its acknowledgement and its acceptance, then commits.
    """

    authority: str
    """The authority's name, as the directory lists it."""
    told: AuthorityExchange | None = None
    acknowledgement: AuthorityExchange | None = None
    acceptance: AuthorityExchange | None = None


@dataclass(frozen=True)
class StepTaken:
    """One step in the transfer's log: the state it led to, when, and by whom.

    ``by`` is the officer for a local step and the sending force for another force's message.
    """

    step: Step
    state: TransferState
    at: datetime
    by: str
    revision: int
    message_id: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ReminderLogged:
    """A reminder sent or received because an acknowledgement, acceptance or commit is late."""

    sent: bool
    waiting_for: str
    at: datetime
    by: str
    message_id: str | None = None


@dataclass
class Transfer:
    """A transfer from ``owner`` to ``receiver`` of the epoch ``epoch``, from one side."""

    transfer_id: str
    side: Side
    owner: str
    receiver: str
    epoch: int
    details: MoveDetails
    state: TransferState
    started_at: datetime
    revision: int = 1
    acknowledged_revision: int = 0
    review: ReviewChecklist = field(default_factory=ReviewChecklist)
    consultation: Consultation | None = None
    decline: Decline | None = None
    return_of: str | None = None
    steps: list[StepTaken] = field(default_factory=list)
    reminders: list[ReminderLogged] = field(default_factory=list)
    review_report: ReviewReport | None = None
    peer_contact: Contact | None = None
    registration: Registration | None = None
    handover: Handover | None = None
    past_date_reason: str | None = None
    manual: ManualHandover | None = None
    """Set when the receiver is an authority outside the federation, running no node."""
    arrival_failure: ArrivalFailure | None = None

    @property
    def peer(self) -> str:
        """The force at the other end."""
        return self.receiver if self.side is Side.OWNER else self.owner

    @property
    def is_live(self) -> bool:
        """Whether the transfer still waits for something."""
        return not is_terminal(self.state)

    @property
    def was_notified(self) -> bool:
        """Whether the receiving force has been told of this transfer."""
        return self.side is Side.RECEIVER or any(s.step is Step.NOTIFY for s in self.steps)

    @property
    def last_step_at(self) -> datetime:
        """When the transfer last moved."""
        return self.steps[-1].at if self.steps else self.started_at

    def check(self, step: Step) -> TransferState:
        """The state ``step`` from this side leads to, or raise IllegalTransitionError."""
        if self.manual is not None:
            target = next_manual_state(self.state, step)
        else:
            target = next_state(self.side, self.state, step, sent=True)
        if target is None:
            raise IllegalTransitionError(
                f"the {self.side} of transfer {self.transfer_id} cannot send {step} "
                f"when {self.state}"
            )
        return target

    def take(
        self, step: Step, by: str, at: datetime, note: str = "", message_id: str | None = None
    ) -> None:
        """Take ``step`` from this side, sent as ``message_id`` if named; or raise."""
        self._log(step, self.check(step), at, by, message_id, note)

    def last_message(self, *steps: Step) -> StepTaken | None:
        """The latest logged step among ``steps`` that names its message, if any."""
        return next(
            (s for s in reversed(self.steps) if s.step in steps and s.message_id is not None),
            None,
        )

    def accepts(self, step: Step) -> bool:
        """Whether this side accepts ``step`` from the other force in the current state."""
        return next_state(self.side, self.state, step, sent=False) is not None

    def apply_peer_step(self, step: Step, sender: str, at: datetime, message_id: str) -> None:
        """Apply the other force's ``step``; the caller has checked ``accepts(step)``."""
        target = next_state(self.side, self.state, step, sent=False)
        if target is None:
            raise IllegalTransitionError(f"{step} is not accepted when {self.state}")
        self._log(step, target, at, sender, message_id, "")

    def end_locally(
        self, step: Step, target: TransferState, by: str, at: datetime, note: str
    ) -> None:
        """End the transfer here without a message of it: something outside the transfer
        (a resolution of the record's conflict) overtook it. ``target`` must be terminal."""
        if not is_terminal(target):
            raise IllegalTransitionError(f"{target} does not end transfer {self.transfer_id}")
        self._log(step, target, at, by, None, note)

    def _log(
        self,
        step: Step,
        target: TransferState,
        at: datetime,
        by: str,
        message_id: str | None,
        note: str,
    ) -> None:
        self.state = target
        self.steps.append(StepTaken(step, target, at, by, self.revision, message_id, note))
