"""The message bus: dispatch a command to its handler, and return the events it committed.

Exceptions are never swallowed: a command the domain refuses propagates to the caller (the
node dead-letters it explicitly), after the events the handler did commit (a refusal kept on
the record) have been collected.
"""

from __future__ import annotations

from collections.abc import Mapping

from ownership.domain.commands import Command, FederationCommand
from ownership.domain.events import Event
from ownership.service_layer.handlers import COMMAND_HANDLERS, Handler
from ownership.service_layer.unit_of_work import AbstractUnitOfWork


class UnknownCommandError(Exception):
    """No handler is registered for this command type."""


class MessageBus:
    """Dispatches commands for one force's unit of work."""

    def __init__(
        self,
        uow: AbstractUnitOfWork,
        command_handlers: Mapping[type[Command | FederationCommand], Handler],
    ) -> None:
        self.uow = uow
        self.command_handlers = command_handlers

    async def handle(self, command: Command | FederationCommand) -> list[Event]:
        """Handle ``command``; return every event it committed."""
        handler = self.command_handlers.get(type(command))
        if handler is None:
            raise UnknownCommandError(f"no handler for {type(command).__name__}")
        try:
            await handler(command, self.uow)
        finally:
            committed = list(self.uow.collect_new_events())
        return committed


def message_bus(uow: AbstractUnitOfWork) -> MessageBus:
    """The bus every caller uses: each command type wired to its handler, in one place."""
    return MessageBus(uow, COMMAND_HANDLERS)
