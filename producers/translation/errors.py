"""Why a domain event could not be written as a wire message."""

from __future__ import annotations


class UntranslatableEventError(Exception):
    """The event lacks something its wire message requires (an identity, a contact, ...).

    Raised while the unit of work writes the outbox, so the whole change rolls back and the
    coordinator is told what to add; nothing half-described ever leaves the force.
    """
