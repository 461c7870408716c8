"""Events: past-tense facts the record appends to its ``events`` list and never publishes.

``OutgoingEvent`` subclasses (in ``outgoing``) must reach another force: each names its
``recipient`` and becomes one protocol message via the outbox. The rest (in ``local``) are
facts of this force's record: the audit trail and coordinators' alerts.
"""

from ownership.domain.events.base import Event, OutgoingEvent
from ownership.domain.events.local import (
    AbsenceRecorded,
    ConflictRaised,
    ConsultationCompleted,
    ConsultationOpened,
    ConsultationPartyRecorded,
    DeadlineEscalated,
    DraftTransferCancelled,
    ImmediateActionRequired,
    OffenderRegistered,
    OwnershipChanged,
    PeerMessageRefused,
    PeerStepApplied,
    ReminderReceived,
    ReviewCompleted,
    ReviewItemCompleted,
    TransferExpired,
    TransferStarted,
    VisitRecorded,
    WarrantMayBeConsidered,
)
from ownership.domain.events.outgoing import (
    OffenderAbsent,
    OwnershipAccepted,
    OwnershipRefused,
    OwnershipTransferred,
    ReminderSent,
    TransferAcknowledged,
    TransferAmended,
    TransferCancelled,
    TransferDeclined,
    TransferNotified,
)
from ownership.domain.events.reconciliation import (
    FederationEvent,
    OwnershipQueried,
    OwnershipStatusReported,
)
from ownership.domain.events.requests import (
    TransferRequestAnswered,
    TransferRequestDeclined,
    TransferRequested,
    TransferRequestReceived,
)

__all__ = [
    "AbsenceRecorded",
    "ConflictRaised",
    "ConsultationCompleted",
    "ConsultationOpened",
    "ConsultationPartyRecorded",
    "DeadlineEscalated",
    "DraftTransferCancelled",
    "Event",
    "FederationEvent",
    "ImmediateActionRequired",
    "OffenderAbsent",
    "OffenderRegistered",
    "OutgoingEvent",
    "OwnershipAccepted",
    "OwnershipChanged",
    "OwnershipQueried",
    "OwnershipRefused",
    "OwnershipStatusReported",
    "OwnershipTransferred",
    "PeerMessageRefused",
    "PeerStepApplied",
    "ReminderReceived",
    "ReminderSent",
    "ReviewCompleted",
    "ReviewItemCompleted",
    "TransferAcknowledged",
    "TransferAmended",
    "TransferCancelled",
    "TransferDeclined",
    "TransferExpired",
    "TransferNotified",
    "TransferRequestAnswered",
    "TransferRequestDeclined",
    "TransferRequestReceived",
    "TransferRequested",
    "TransferStarted",
    "VisitRecorded",
    "WarrantMayBeConsidered",
]
