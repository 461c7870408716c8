"""`services up | status | down` over both local services."""

from __future__ import annotations

from dataclasses import dataclass

from interforce.services.kafka import KafkaBroker
from interforce.services.postgres import PostgresServer
from interforce.services.progress import Progress
from interforce.settings import Settings


@dataclass(frozen=True)
class ServiceStatus:
    """One line of `services status`."""

    name: str
    endpoint: str
    up: bool
    started_by_interforce: bool
    log: str


def local_services(settings: Settings) -> tuple[KafkaBroker, PostgresServer]:
    """The two services, in the order they are brought up."""
    return KafkaBroker(settings), PostgresServer(settings)


async def up(settings: Settings, progress: Progress) -> None:
    """Bring both services up, reusing any that already answer."""
    for service in local_services(settings):
        await service.up(progress)


async def status(settings: Settings) -> list[ServiceStatus]:
    """Whether each service answers, and whether `services up` started it."""
    return [
        ServiceStatus(
            name=service.name,
            endpoint=service.endpoint,
            up=await service.is_ready(),
            started_by_interforce=service.started_pid() is not None,
            log=str(service.log),
        )
        for service in local_services(settings)
    ]


def down(settings: Settings, progress: Progress) -> None:
    """Stop what `services up` started, and nothing else."""
    for service in reversed(local_services(settings)):
        service.down(progress)
