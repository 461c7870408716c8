"""The message types of the protocol and what each one's envelope must carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Presence = Literal["required", "optional", "absent"]


@dataclass(frozen=True)
class MessageKind:
    """One message type: its name, who sends it to whom, and its envelope extension rules."""

    name: str
    summary: str
    sender: str
    recipient: str
    subject: Presence = "required"
    transferid: Presence = "required"
    epoch: Presence = "required"
    causationid: Presence = "optional"

    def presence(self, attribute: str) -> Presence:
        """The rule for one of `subject`, `transferid`, `epoch`, `causationid`."""
        rule: Presence = getattr(self, attribute)
        return rule


_OWNER = "owning force"
_RECEIVER = "receiving force"

MESSAGE_KINDS: tuple[MessageKind, ...] = (
    MessageKind(
        "transfer.notified",
        "Imminent transfer: the offender, category, MAPPA details, risk, the move, the review "
        "and its checklist, safety and threat-to-life flags, and contacts.",
        _OWNER,
        _RECEIVER,
    ),
    MessageKind(
        "transfer.amended",
        "Corrected details of a live transfer, numbered by revision.",
        _OWNER,
        _RECEIVER,
    ),
    MessageKind(
        "transfer.acknowledged",
        "Receipt acknowledged; consultation on risk, response plans and threats to life started.",
        _RECEIVER,
        _OWNER,
    ),
    MessageKind(
        "transfer.declined",
        "Not ours, or not enough information: a reason code and the reason in words.",
        _RECEIVER,
        _OWNER,
    ),
    MessageKind(
        "transfer.failedtoarrive",
        "The offender never arrived: what was tried and when; the owner keeps the record,"
        " whereabouts unknown.",
        _RECEIVER,
        _OWNER,
    ),
    MessageKind("transfer.cancelled", "The move is off.", _OWNER, _RECEIVER),
    MessageKind(
        "ownership.accepted",
        "The receiving force accepts responsibility (the offender registered) for epoch n+1.",
        _RECEIVER,
        _OWNER,
    ),
    MessageKind(
        "ownership.transferred",
        "The owner commits the handover: the receiver owns the record at epoch n+1.",
        _OWNER,
        _RECEIVER,
    ),
    MessageKind(
        "ownership.refused",
        "An acceptance arrived for a transfer no longer live (cancelled, superseded).",
        _OWNER,
        _RECEIVER,
    ),
    MessageKind(
        "ownership.withdrawn",
        "The receiving force withdraws its acceptance before the commit (the offender did not"
        " report).",
        _RECEIVER,
        _OWNER,
    ),
    MessageKind(
        "transfer.reminder",
        "An acknowledgement or acceptance is overdue.",
        "either force",
        "the other force",
    ),
    MessageKind(
        "offender.absent",
        "Evidence that the offender left the registered address: date left, forwarding address.",
        _OWNER,
        "the force named by the forwarding address",
        transferid="optional",
    ),
    MessageKind(
        "ownership.query",
        "Reconciliation: which owner and epoch do you hold for these offenders?",
        "any force",
        "any force",
        subject="absent",
        transferid="absent",
        epoch="absent",
    ),
    MessageKind(
        "ownership.status",
        "The answer to an ownership.query; `causationid` is the query's `id`.",
        "any force",
        "the force that asked",
        subject="absent",
        transferid="absent",
        epoch="absent",
        causationid="required",
    ),
    MessageKind(
        "resolution.proposed",
        "A party to a conflict proposes who owns the record at a new epoch, and why.",
        "a party to a conflict",
        "the other party",
        transferid="absent",
    ),
    MessageKind(
        "resolution.confirmed",
        "The other party confirms the proposal; `causationid` is the proposal's `id`.",
        "the other party",
        "the proposing party",
        transferid="absent",
        causationid="required",
    ),
    MessageKind(
        "resolution.rejected",
        "The other party rejects the proposal; `causationid` is the proposal's `id`.",
        "the other party",
        "the proposing party",
        transferid="absent",
        causationid="required",
    ),
    MessageKind(
        "transfer.requested",
        "An offender registered, unannounced: the force where they registered asks the force it"
        " believes owns the record to start a transfer, with the registration's details.",
        "the force where the offender registered",
        "the force believed to own the record",
        transferid="absent",
        epoch="absent",
    ),
    MessageKind(
        "request.declined",
        "The answer to a transfer.requested that starts no transfer: a reason code, the reason"
        " in words and the owner the sender knows; `causationid` is the request's `id`.",
        "the force asked",
        "the force that asked",
        transferid="absent",
        epoch="absent",
        causationid="required",
    ),
)

KINDS_BY_NAME: dict[str, MessageKind] = {kind.name: kind for kind in MESSAGE_KINDS}
"""Every message kind by name; a constant table, not a registry instance."""
