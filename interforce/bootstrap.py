"""The composition root: the parts a node runs beside its consumer and relay, from settings.

Each is a `NodeService` (see `interforce.node.runtime`): started once the node's pool and
broker are up, stopped before they close. Add a new one here. This sits above both the node
and the dashboard, so that the node runs the dashboard without importing it.
"""

from __future__ import annotations

from datetime import timedelta

from interforce.node.deadlines import DeadlineScheduler, service_levels
from interforce.node.reconciliation import ScheduledReconciliation
from interforce.node.runtime import NodeService
from interforce.settings import Settings
from interforce.web.service import DashboardServer


def node_services(settings: Settings) -> list[NodeService]:
    """The services this node runs, in start order (an interval of 0 turns one off)."""
    services: list[NodeService] = []
    if settings.scheduler_interval_seconds > 0:
        services.append(
            DeadlineScheduler(
                service_levels(settings),
                settings.scheduler_interval_seconds,
                clock_offset=timedelta(days=settings.scheduler_clock_offset_days),
            )
        )
    if settings.reconcile_interval_seconds > 0:
        services.append(
            ScheduledReconciliation(
                settings.reconcile_interval_seconds,
                timedelta(seconds=settings.reconcile_settle_seconds),
            )
        )
    if settings.web_port:
        services.append(DashboardServer(settings))
    return services
