"""The services a node runs beside its consumer and relay, chosen from the settings.

Each is a `NodeService` (see `interforce.node.runtime`): started once the node's pool and
broker are up, stopped before they close. Add a new one here.
"""

from __future__ import annotations

from interforce.node.runtime import NodeService
from interforce.settings import Settings


def node_services(settings: Settings) -> list[NodeService]:
    """The services this node runs, in start order."""
    return []
