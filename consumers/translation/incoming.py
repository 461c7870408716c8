"""A received wire message → the command that applies it to this force's record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Final

from consumers.translation import arrival_commands as arrival
from consumers.translation import ownership_commands as own
from consumers.translation import reconciliation_commands as reconciliation
from consumers.translation import reply_commands as reply
from consumers.translation import request_commands as request
from consumers.translation import resolution_commands as resolution
from consumers.translation import transfer_commands as transfer
from consumers.translation.errors import UnhandledMessageType
from ownership.domain.commands import IncomingMessage, PeerEnquiry
from schemas.registry import ReceivedMessage

Translate = Callable[[ReceivedMessage], IncomingMessage | PeerEnquiry]

COMMANDS: Final[Mapping[str, Translate]] = MappingProxyType(
    {
        "transfer.notified": transfer.notified,
        "transfer.amended": transfer.amended,
        "transfer.cancelled": transfer.cancelled,
        "transfer.acknowledged": reply.acknowledged,
        "transfer.declined": reply.declined,
        "transfer.failedtoarrive": arrival.failed_to_arrive,
        "ownership.accepted": reply.accepted,
        "ownership.transferred": own.transferred,
        "ownership.refused": own.refused,
        "ownership.withdrawn": own.withdrawn,
        "transfer.reminder": own.reminder,
        "offender.absent": own.absent,
        "ownership.query": reconciliation.query,
        "ownership.status": reconciliation.status,
        "resolution.proposed": resolution.proposed,
        "resolution.confirmed": resolution.confirmed,
        "resolution.rejected": resolution.rejected,
        "transfer.requested": request.requested,
        "request.declined": request.request_declined,
    }
)
"""Each message type the domain handles → its translation into a command."""


def incoming_command(
    received: ReceivedMessage, received_at: datetime | None = None
) -> IncomingMessage | PeerEnquiry:
    """The `Receive…` command for a message the registry accepted.

    Its fields come from the envelope (sender, recipient, offender, transfer, epoch, message
    and causation ids, time as `at`) and the body at the current version; `received_at` is
    this node's clock when the message arrived, so no deadline it starts begins in the
    future. The reconciliation pair names no offender: its commands are about this force's
    records as a whole. Raises `UnhandledMessageType` (reason `unhandled-type`) for a type
    the domain does not handle.
    """
    translate = COMMANDS.get(received.message_type)
    if translate is None:
        msg = f"{received.message_type} is valid but not handled by this node yet"
        raise UnhandledMessageType(msg, pointer="/type")
    command = translate(received)
    if received_at is not None and isinstance(command, IncomingMessage):
        command = replace(command, received_at=received_at)
    return command
