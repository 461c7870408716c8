"""Domain events → wire messages: the outbox's `EventTranslator`.

`outgoing_message(record, event)` returns the `OutboxMessage` an outgoing event sends (its
body the current wire version, as JSON-ready data) or None for a local event, and raises
`UntranslatableEventError` when the event lacks something the wire requires.
"""

from producers.translation.errors import UntranslatableEventError
from producers.translation.outgoing import MESSAGES, outgoing_message

__all__ = ["MESSAGES", "UntranslatableEventError", "outgoing_message"]
