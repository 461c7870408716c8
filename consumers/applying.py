"""Apply accepted inbox messages: each command through the bus, a batch's records shared.

A batch of messages reads its records in one query and shares them through one `RecordStage`:
each message's unit of work commits to the stage, and the batch writes the stage once at the
end. The inbox processor decides which messages go together (see `consumers.inbox_processor`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from consumers.inbox_processor import Accepted, Applied
from consumers.refusal import Refused
from ownership.adapters.db import Connection
from ownership.adapters.outbox import EventTranslator
from ownership.adapters.staged_commands import StagedCommands
from ownership.domain.errors import DomainError, RefusalError
from ownership.service_layer.messagebus import message_bus


def reason_code(error: DomainError) -> str:
    """The domain's code in the dead-letter reasons' spelling (`stale_epoch` → `stale-epoch`)."""
    return error.code.replace("_", "-")


class InboxApplier:
    """Starts effect batches of accepted messages on the caller's connection."""

    def __init__(
        self,
        force: str,
        translate: EventTranslator,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._force = force
        self._translate = translate
        self._clock = clock

    def __call__(self, connection: Connection) -> NodeEffects:
        return NodeEffects(connection, self._force, self._translate, self._clock)


class NodeEffects:
    """One batch: its messages' records loaded together, changed in order, written together."""

    def __init__(
        self,
        connection: Connection,
        force: str,
        translate: EventTranslator,
        clock: Callable[[], datetime],
    ) -> None:
        self._staged = StagedCommands(
            connection, force=force, actor=f"node:{force}", translate=translate, clock=clock
        )

    async def load(self, messages: Sequence[Accepted[Any]]) -> None:
        await self._staged.load(m.subject for m in messages if m.subject is not None)

    async def apply(self, accepted: Accepted[Any]) -> Applied:
        uow = self._staged.unit_of_work(f"{accepted.message_type} from {accepted.sender}")
        try:
            await message_bus(uow).handle(accepted.message)
        except RefusalError as refusal:  # recorded on the record and committed: keep it
            return Applied(audit=uow.audit_entries, refused=self._refused(refusal, accepted))
        except DomainError as error:  # nothing to keep: roll back and dead-letter
            raise self._refused(error, accepted) from error
        return Applied(audit=uow.audit_entries)

    async def write(self) -> None:
        await self._staged.write()

    @staticmethod
    def _refused(error: DomainError, accepted: Accepted[Any]) -> Refused:
        return Refused(
            reason_code(error),
            str(error) or type(error).__name__,
            sender=accepted.sender,
            message_id=accepted.message_id,
        )
