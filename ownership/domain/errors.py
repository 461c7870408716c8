"""Specific domain errors, each with a stable ``code``.

The code is what a coordinator's screen shows and what the node writes as the dead-letter or
refusal reason, so it never changes once released.

Two families:

* ``DomainError`` — a command that the rules do not allow (a coordinator's mistake or a step
  out of turn). Nothing is changed; the unit of work rolls back.
* ``RefusalError`` — another force's message that the record refuses. The refusal itself is
  recorded on the record (and as an event) before the error is raised, and the handler commits
  that record, so refused messages are auditable rather than lost.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A rule of the ownership domain was broken."""

    code: ClassVar[str] = "domain_error"


class InvalidDetailsError(DomainError):
    """Details that cannot describe a real offender, move, visit or review."""

    code = "invalid_details"


class PastMoveDateError(DomainError):
    """An expected move date before today, given with no reason for it."""

    code = "past_move_date"


class PastEndDateError(DomainError):
    """A temporary move whose end date is already past: the move is over, nothing to hand."""

    code = "past_end_date"


class UnknownOffenderError(DomainError):
    """No record of this offender is held by this force."""

    code = "unknown_offender"


class DuplicateOffenderError(DomainError):
    """The offender already has a record at this force."""

    code = "duplicate_offender"


class UnknownTransferError(DomainError):
    """The record holds no transfer with this id."""

    code = "unknown_transfer"


class DuplicateTransferError(DomainError):
    """A transfer with this id already exists on the record."""

    code = "duplicate_transfer"


class IllegalTransitionError(DomainError):
    """The transfer's state does not allow this step on this side."""

    code = "illegal_transition"


class NotTheOwnerError(DomainError):
    """Only the owner of the current epoch may take this step."""

    code = "not_the_owner"


class NotTheReceiverError(DomainError):
    """Only the transfer's named receiver may take this step."""

    code = "not_the_receiver"


class TransferAlreadyOpenError(DomainError):
    """The owner already has a live transfer of this offender."""

    code = "transfer_already_open"


class TransferSupersededError(DomainError):
    """The record has moved to a later epoch since this transfer was notified."""

    code = "transfer_superseded"


class UnresolvedConflictError(DomainError):
    """Ownership is in conflict; coordinators must resolve it before ownership moves."""

    code = "unresolved_conflict"


class ReviewIncompleteError(DomainError):
    """Mandatory pre-transfer review items are outstanding."""

    code = "review_incomplete"


class ReviewClosedError(DomainError):
    """The review of a notified transfer can no longer change."""

    code = "review_closed"


class ReviewItemAlreadyCompleteError(DomainError):
    """The review item was already completed; completions are never overwritten."""

    code = "review_item_already_complete"


class ReviewEvidenceInvalidError(DomainError):
    """The evidence given does not satisfy the review item."""

    code = "review_evidence_invalid"


class DuplicateVisitError(DomainError):
    """A visit with this id is already recorded."""

    code = "duplicate_visit"


class ConsultationNotOpenError(DomainError):
    """The consultation opens when the receiving force acknowledges, and closes once done."""

    code = "consultation_not_open"


class ConsultationIncompleteError(DomainError):
    """Ownership cannot be accepted until the consultation is recorded as done."""

    code = "consultation_incomplete"


class NothingOverdueError(DomainError):
    """A reminder was asked for a transfer that is not waiting on the other force."""

    code = "nothing_overdue"


class NoReminderForStepError(DomainError):
    """The protocol's reminder chases only an acknowledgement or an acceptance."""

    code = "no_reminder_for_step"


class CannotEstablishViewError(DomainError):
    """The message cannot open a view of an offender this force holds no record of.

    Only a notification addressed to this force opens a first view; nothing is kept (there is
    no record to keep a refusal on), and the message is dead-lettered.
    """

    code = "cannot_establish_view"


class UnaskedAnswerError(DomainError):
    """An ``ownership.status`` that answers no query this force sent to its sender."""

    code = "unasked_answer"


class RefusalError(DomainError):
    """Another force's message was refused; the refusal is recorded on the record."""

    code = "refused"


class StaleEpochError(RefusalError):
    """The message carries an epoch older than the one this force holds."""

    code = "stale_epoch"


class UngrantedEpochError(RefusalError):
    """The message claims an epoch that its owner never granted."""

    code = "ungranted_epoch"


class OwnershipConflictError(RefusalError):
    """Two forces claim the same epoch; raised to coordinators, never resolved silently."""

    code = "ownership_conflict"


class UnchainedClaimError(RefusalError):
    """A later epoch claimed by a force the owner this view knows never passed it on to.

    A view that is not the owner's moves only on the word of the owner it knows (or of the
    force that owner is known to have granted the record to): any other claim is raised as a
    conflict and never followed.
    """

    code = "unchained_claim"


class SenderNotEntitledError(RefusalError):
    """The sender does not hold the protocol role this message needs."""

    code = "sender_not_entitled"


class MisaddressedError(RefusalError):
    """The message names a different recipient from the force that received it."""

    code = "misaddressed"


class StaleRevisionError(RefusalError):
    """The message refers to a revision older than the transfer's current one."""

    code = "stale_revision"


class OutOfSequenceError(RefusalError):
    """The step arrived in a state that does not accept it (late, crossed or repeated)."""

    code = "out_of_sequence"


class TransferNotKnownError(RefusalError):
    """The message is about a transfer this record has never seen."""

    code = "transfer_not_known"


class TransferAlreadyKnownError(RefusalError):
    """A notification arrived for a transfer already on the record."""

    code = "transfer_already_known"


class AuthorityRunsNoNodeError(DomainError):
    """A step that sends a message, on a transfer to an authority that runs no node."""

    code = "authority_runs_no_node"


class NotAManualHandoverError(DomainError):
    """A step of a hand-over by hand, on a transfer to a force of the federation."""

    code = "not_a_manual_handover"


class NotManagedByAuthorityError(DomainError):
    """A return from an authority, on a record no authority manages."""

    code = "not_managed_by_authority"


class NoConflictError(DomainError):
    """A resolution was proposed for a record with no open conflict with that force."""

    code = "no_conflict"


class NotAPartyError(RefusalError):
    """A resolution names, or is answered by, a force that is not a party to the conflict."""

    code = "not_a_party"


class ResolutionEpochTooLowError(RefusalError):
    """A resolution's epoch is not above every epoch this force has seen of the record."""

    code = "resolution_epoch_too_low"


class UnknownResolutionError(RefusalError):
    """No pending proposal with this id awaits this answer on the record."""

    code = "unknown_resolution"


class ResolutionMismatchError(RefusalError):
    """A confirmation names another owner or a later epoch than the proposal it answers."""

    code = "resolution_mismatch"


class ResolutionPendingError(DomainError):
    """A proposal of this force's, or a stronger one of the other party's, awaits an answer."""

    code = "resolution_pending"


class TaskNotOpenError(DomainError):
    """The record has no open task with this id (never raised, or already closed)."""

    code = "task_not_open"


class TaskOutcomeError(DomainError):
    """That result cannot close this kind of task."""

    code = "task_outcome_not_allowed"


class UnknownRequestError(DomainError):
    """The record holds no request for a transfer with this id."""

    code = "unknown_request"


class RequestNotPendingError(DomainError):
    """The request for a transfer has already been answered or declined."""

    code = "request_not_pending"


class RequestNotNeededError(DomainError):
    """This force owns the record, or is already the receiver of a live transfer of it."""

    code = "request_not_needed"


class RequestAlreadyKnownError(RefusalError):
    """A request for a transfer with this id is already held."""

    code = "request_already_known"
