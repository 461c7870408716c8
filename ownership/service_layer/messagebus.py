"""The message bus: dispatch a command to its handler, then follow-up event handlers.

Exceptions are never swallowed: a command the domain refuses propagates to the caller (the
node dead-letters it explicitly), after any events the handler did commit have been
dispatched.
"""

from __future__ import annotations

from collections.abc import Mapping

from ownership.domain.commands import Command, FederationCommand
from ownership.domain.events import Event
from ownership.service_layer.handlers import EventHandler, Handler
from ownership.service_layer.unit_of_work import AbstractUnitOfWork


class UnknownCommandError(Exception):
    """No handler is registered for this command type."""


class MessageBus:
    """Dispatches commands for one force's unit of work."""

    def __init__(
        self,
        uow: AbstractUnitOfWork,
        command_handlers: Mapping[type[Command | FederationCommand], Handler],
        event_handlers: Mapping[type[Event], tuple[EventHandler, ...]],
    ) -> None:
        self.uow = uow
        self.command_handlers = command_handlers
        self.event_handlers = event_handlers

    async def handle(self, command: Command | FederationCommand) -> list[Event]:
        """Handle ``command`` and its follow-ups; return every event committed on the way."""
        handler = self.command_handlers.get(type(command))
        if handler is None:
            raise UnknownCommandError(f"no handler for {type(command).__name__}")
        try:
            await handler(command, self.uow)
        finally:
            committed = await self._follow_up()
        return committed

    async def _follow_up(self) -> list[Event]:
        committed: list[Event] = []
        queue = list(self.uow.collect_new_events())
        while queue:
            event = queue.pop(0)
            committed.append(event)
            for handler in self.event_handlers.get(type(event), ()):
                await handler(event, self.uow)
                queue.extend(self.uow.collect_new_events())
        return committed
