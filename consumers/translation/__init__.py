"""Wire messages → domain commands: what the consumer hands the message bus.

`incoming_command(received)` turns a message the registry accepted into its `Receive…`
command; `UnhandledMessageType` (reason `unhandled-type`) is raised for a valid type the
domain does not handle yet, so the node dead-letters it rather than dropping it.
"""

from consumers.translation.errors import UnhandledMessageType
from consumers.translation.incoming import COMMANDS, incoming_command

__all__ = ["COMMANDS", "UnhandledMessageType", "incoming_command"]
