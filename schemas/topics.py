"""Where a federation's messages go: each force's inbox and dead-letter topics, its group.

The names are part of the federation's agreement, like the directory: a sender writes to the
recipient's inbox topic, and the recipient's node reads it in its own consumer group.
"""

from __future__ import annotations


def inbox_topic(force: str, namespace: str = "interforce") -> str:
    """A force's inbox topic, e.g. `interforce.wmp.inbox`."""
    return f"{namespace}.{force.lower()}.inbox"


def dead_letter_topic(force: str, namespace: str = "interforce") -> str:
    """A force's dead-letter topic, e.g. `interforce.wmp.dlq`."""
    return f"{namespace}.{force.lower()}.dlq"


def audit_topic(force: str, namespace: str = "interforce") -> str:
    """A force's audit checkpoint topic, e.g. `interforce.wmp.audit` (see `interforce.audit`)."""
    return f"{namespace}.{force.lower()}.audit"


def consumer_group(force: str, namespace: str = "interforce") -> str:
    """The consumer group of a force's node instances, e.g. `interforce.wmp`."""
    return f"{namespace}.{force.lower()}"
