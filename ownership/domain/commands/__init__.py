"""Commands: imperative, small, frozen.

Two kinds, kept apart so a reader always knows who is asking:

* ``LocalCommand`` (in ``local``) — a coordinator or officer at this force acts: start, review,
  visit, notify, amend, cancel, expire, commit; acknowledge, consult, decline, accept; record
  an absence; send a reminder; chase overdue steps.
* ``IncomingMessage`` (in ``incoming``, named ``Receive…``) — another force's protocol message
  has arrived; the handler applies that force's step to this force's own view.
"""

from ownership.domain.commands.base import (
    Command,
    IncomingMessage,
    LocalCommand,
    TransferMessage,
)
from ownership.domain.commands.incoming import (
    ReceiveOffenderAbsent,
    ReceiveOwnershipAccepted,
    ReceiveOwnershipRefused,
    ReceiveOwnershipTransferred,
    ReceiveOwnershipWithdrawn,
    ReceiveTransferAcknowledged,
    ReceiveTransferAmended,
    ReceiveTransferCancelled,
    ReceiveTransferDeclined,
    ReceiveTransferNotified,
    ReceiveTransferReminder,
)
from ownership.domain.commands.local import (
    AcceptOwnership,
    AcknowledgeTransfer,
    AmendTransfer,
    CancelTransfer,
    ChaseDeadlines,
    CommitTransfer,
    CompleteConsultation,
    CompleteReviewItem,
    DeclineTransfer,
    ExpireTransfer,
    NotifyTransfer,
    RecordAbsence,
    RecordConsultationParty,
    RecordVisit,
    RegisterOffender,
    SendReminder,
    StartTransfer,
    WithdrawAcceptance,
)
from ownership.domain.commands.reconciliation import (
    FederationCommand,
    PeerEnquiry,
    ReceiveOwnershipQuery,
    ReceiveOwnershipStatus,
    Reconcile,
)

__all__ = [
    "AcceptOwnership",
    "AcknowledgeTransfer",
    "AmendTransfer",
    "CancelTransfer",
    "ChaseDeadlines",
    "Command",
    "CommitTransfer",
    "CompleteConsultation",
    "CompleteReviewItem",
    "DeclineTransfer",
    "ExpireTransfer",
    "FederationCommand",
    "IncomingMessage",
    "LocalCommand",
    "NotifyTransfer",
    "PeerEnquiry",
    "ReceiveOffenderAbsent",
    "ReceiveOwnershipAccepted",
    "ReceiveOwnershipQuery",
    "ReceiveOwnershipRefused",
    "ReceiveOwnershipStatus",
    "ReceiveOwnershipTransferred",
    "ReceiveOwnershipWithdrawn",
    "ReceiveTransferAcknowledged",
    "ReceiveTransferAmended",
    "ReceiveTransferCancelled",
    "ReceiveTransferDeclined",
    "ReceiveTransferNotified",
    "ReceiveTransferReminder",
    "Reconcile",
    "RecordAbsence",
    "RecordConsultationParty",
    "RecordVisit",
    "RegisterOffender",
    "SendReminder",
    "StartTransfer",
    "TransferMessage",
    "WithdrawAcceptance",
]
