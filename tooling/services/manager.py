"""`services up | status | down` over both local services."""

from __future__ import annotations

from dataclasses import dataclass

from interforce.settings import Settings
from tooling.services.kafka import LocalKafka
from tooling.services.postgres import PostgresServer
from tooling.services.progress import Progress
from tooling.services.secure_kafka import LocalSecureKafka


@dataclass(frozen=True)
class ServiceStatus:
    """One line of `services status`."""

    name: str
    endpoint: str
    up: bool
    started_by_interforce: bool
    log: str


def local_services(
    settings: Settings, *, secure: bool = False
) -> tuple[LocalKafka | PostgresServer, ...]:
    """The services of a profile, in the order they are brought up.

    The default profile is the plain broker and PostgreSQL; the secure profile is the
    TLS + SASL + ACL broker alone, which runs beside them.
    """
    if secure:
        return (LocalSecureKafka(settings),)
    return LocalKafka(settings), PostgresServer(settings)


async def up(settings: Settings, progress: Progress, *, secure: bool = False) -> None:
    """Bring a profile's services up, reusing any that already answer."""
    for service in local_services(settings, secure=secure):
        await service.up(progress)


async def status(settings: Settings, *, secure: bool = False) -> list[ServiceStatus]:
    """Whether each service answers, and whether `services up` started it."""
    return [
        ServiceStatus(
            name=service.name,
            endpoint=service.endpoint,
            up=await service.is_ready(),
            started_by_interforce=service.started_pid() is not None,
            log=str(service.log),
        )
        for service in local_services(settings, secure=secure)
    ]


def down(settings: Settings, progress: Progress, *, secure: bool = False) -> None:
    """Stop what `services up` started, and nothing else."""
    for service in reversed(local_services(settings, secure=secure)):
        service.down(progress)
