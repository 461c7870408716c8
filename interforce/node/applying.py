"""Apply one accepted inbox message: the command through the bus, on the batch's connection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from consumers.inbox_processor import Accepted, Applied
from consumers.refusal import Refused
from ownership.adapters.audit_log import AuditEntry
from ownership.adapters.db import Connection
from ownership.adapters.outbox import EventTranslator
from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.domain.errors import DomainError, RefusalError
from ownership.service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from ownership.service_layer.messagebus import MessageBus


def reason_code(error: DomainError) -> str:
    """The domain's code in the dead-letter reasons' spelling (`stale_epoch` → `stale-epoch`)."""
    return error.code.replace("_", "-")


class InboxApplier:
    """Runs each accepted message's command in a unit of work on the caller's connection."""

    def __init__(
        self,
        force: str,
        translate: EventTranslator,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._force = force
        self._translate = translate
        self._clock = clock

    async def __call__(self, connection: Connection, accepted: Accepted[Any]) -> Applied:
        audit: list[AuditEntry] = []
        # The processor's savepoint around this call isolates the message; the batch appends
        # the audit entries of the messages it keeps.
        uow = PostgresUnitOfWork(
            connection,
            force=self._force,
            actor=f"node:{self._force}",
            translate=self._translate,
            reason=f"{accepted.message_type} from {accepted.sender}",
            clock=self._clock,
            isolated=True,
            audit=audit,
        )
        bus = MessageBus(uow, COMMAND_HANDLERS, EVENT_HANDLERS)
        try:
            await bus.handle(accepted.message)
        except RefusalError as refusal:  # recorded on the record and committed: keep it
            return Applied(audit=audit, refused=self._refused(refusal, accepted))
        except DomainError as error:  # nothing to keep: roll back and dead-letter
            raise self._refused(error, accepted) from error
        return Applied(audit=audit)

    @staticmethod
    def _refused(error: DomainError, accepted: Accepted[Any]) -> Refused:
        return Refused(
            reason_code(error),
            str(error) or type(error).__name__,
            sender=accepted.sender,
            message_id=accepted.message_id,
        )
