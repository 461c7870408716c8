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
)
from ownership.domain.commands.reconciliation import (
    FederationCommand,
    PeerEnquiry,
    ReceiveOwnershipQuery,
    ReceiveOwnershipStatus,
    Reconcile,
)
from ownership.domain.commands.requests import (
    DeclineTransferRequest,
    ReceiveTransferRequestDeclined,
    ReceiveTransferRequested,
    RequestTransfer,
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
    "DeclineTransferRequest",
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
    "ReceiveTransferAcknowledged",
    "ReceiveTransferAmended",
    "ReceiveTransferCancelled",
    "ReceiveTransferDeclined",
    "ReceiveTransferNotified",
    "ReceiveTransferReminder",
    "ReceiveTransferRequestDeclined",
    "ReceiveTransferRequested",
    "Reconcile",
    "RecordAbsence",
    "RecordConsultationParty",
    "RecordVisit",
    "RegisterOffender",
    "RequestTransfer",
    "SendReminder",
    "StartTransfer",
    "TransferMessage",
]
