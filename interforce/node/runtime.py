"""A running force node: inbox consumer, outbox relay, maintenance and health.

`Node.start()` builds everything (nothing exists before it): the force's database and its
migrations, the topics, a connection pool, the FastStream broker with the inbox subscriber,
the relay task and the maintenance task. `Node.stop()` stops consuming (in-flight batches
finish and commit), lets the relay finish its batch, and closes the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import asyncpg
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker

from consumers.applying import InboxApplier
from consumers.dead_letter_topic import KafkaDeadLetterSink
from consumers.decoding import InboxDecoder
from consumers.inbox_processor import InboxProcessor
from consumers.inbox_subscriber import subscribe_inbox
from consumers.stall_alarm import StallAlarm
from consumers.stall_watch import StallWatch
from interforce.audit.checkpointer import AuditCheckpointer
from interforce.audit.signers import identity_signer
from interforce.audit.topic import publish_checkpoint
from interforce.database import database_url, ensure_database, force_database_name, login_url
from interforce.kafka_clients import broker_security, client_options
from interforce.node.health import HealthServer
from interforce.settings import Settings
from interforce.topics import AUDIT_TOPIC_CONFIG, ensure_topics, require_topics
from ownership.adapters.audit_signing import AuditSigner, Checkpoint
from ownership.adapters.migrator import migrate
from ownership.adapters.views import failed_messages, forget_inbox_ids_before, queue_counts
from producers.disclosure import DisclosurePolicy
from producers.keyring import KeyRing
from producers.publishing import SignedPublisher
from producers.relay import OutboxRelay
from producers.translation import outgoing_message
from schemas.directory import ForceDirectory, ForceEntry, WatchedDirectory
from schemas.registry import Registry
from schemas.schema_set import SchemaSet
from schemas.signing import SigningKey
from schemas.topics import audit_topic, consumer_group, dead_letter_topic, inbox_topic

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL_SECONDS = 3600.0
FAILED_IN_HEALTH = 20
"""How many failed outbox messages the health report names (the oldest)."""
MAX_STALL_PROBE_SECONDS = 5.0


@dataclass(frozen=True)
class NodeIdentity:
    """Who this node is and how it signs: its force's directory entry and its key."""

    entry: ForceEntry
    key: SigningKey
    directory: ForceDirectory
    keys: KeyRing | None = None
    """Every key of this force; without it, `key` signs everything."""
    watched: WatchedDirectory | None = None
    """The directory file, read again when it changes; without it, `directory` is fixed."""

    def current_directory(self) -> ForceDirectory:
        """The directory as it now stands."""
        return self.watched.current() if self.watched is not None else self.directory

    @property
    def force(self) -> str:
        return self.entry.code

    @property
    def actor(self) -> str:
        return f"node:{self.entry.code}"


class NodeService(Protocol):
    """A part that runs beside the consumer and relay (a scheduler, the dashboard, ...).

    `start` is called once the node's pool and broker are up; `stop` before they close.
    """

    async def start(self, node: Node) -> None: ...

    async def stop(self) -> None: ...


class Node:
    """One force's node; `start()`, then `stop()` (or `run()` until a signal)."""

    def __init__(
        self,
        settings: Settings,
        identity: NodeIdentity,
        *,
        schemas: SchemaSet | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        services: Sequence[NodeService] = (),
    ) -> None:
        self.settings = settings
        self.services = list(services)
        self.identity = identity
        self._schemas = schemas
        self._clock = clock
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.pool: asyncpg.Pool | None = None
        self._inbox_pool: asyncpg.Pool | None = None
        self.broker: KafkaBroker | None = None
        self._producer: AIOKafkaProducer | None = None
        self.relay: OutboxRelay | None = None
        self.processor: InboxProcessor[Any] | None = None
        self._health: HealthServer | None = None
        self.stalls: StallWatch | None = None
        self._inbox_tasks: list[asyncio.Task[None]] = []
        self.audit_signer: AuditSigner = identity_signer(identity)
        """Seals every audit append and checkpoint with the force's key (see `interforce.audit`)."""
        self.checkpointer: AuditCheckpointer | None = None
        self._checkpoints: asyncio.Task[None] | None = None

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._clock

    @property
    def stopping(self) -> asyncio.Event:
        """Set when the node begins to stop; long-running services watch it."""
        return self._stopping

    @property
    def database_name(self) -> str:
        return force_database_name(self.identity.force, self.settings.database_prefix)

    @property
    def inbox(self) -> str:
        return inbox_topic(self.identity.force, self.settings.namespace)

    @property
    def dead_letter(self) -> str:
        return dead_letter_topic(self.identity.force, self.settings.namespace)

    @property
    def audit(self) -> str:
        return audit_topic(self.identity.force, self.settings.namespace)

    async def start(self) -> None:
        """Build and start every part; returns once the node is consuming and relaying."""
        settings = self.settings
        schemas = self._schemas or SchemaSet.load()
        url = await self._database_url()
        self.pool = pool = await self._migrated_pool(url)
        await self._topics()
        self.broker = broker = self._new_broker()
        # The inbox applies one batch at a time on a connection of its own, which keeps no
        # session state (no LISTEN, no session locks): handing it back needs no reset query,
        # one round trip fewer on every batch.
        self._inbox_pool = await asyncpg.create_pool(
            url, min_size=1, max_size=1, reset=_keep_session
        )
        self.processor = self._new_processor(self._inbox_pool, broker, schemas)
        watched: tuple[StallAlarm, Any] | None = None
        if settings.node_parts != "relay":
            watched = self._subscribe_inbox(broker, pool, self.processor)
        await broker.start()
        if watched is not None:
            self._watch_stalls(*watched)
        await self._start_relay(pool, schemas)
        if settings.health_port:
            self._health = HealthServer(self, settings.health_host, settings.health_port)
            await self._health.start()
        if settings.node_parts != "inbox":
            for service in self.services:
                await service.start(self)
        log.info(
            "node %s started (%s): inbox %s, database %s",
            self.identity.force,
            {"all": "inbox and relay", "inbox": "inbox only", "relay": "relay only"}[
                settings.node_parts
            ],
            self.inbox,
            self.database_name,
        )

    async def _migrated_pool(self, url: str) -> asyncpg.Pool:
        """The node's connection pool on its database, once every migration is applied."""
        pool = await asyncpg.create_pool(url, min_size=2, max_size=self.settings.database_pool_size)
        async with pool.acquire() as connection:
            applied = await migrate(connection)
        if applied:
            log.info("database %s migrated: %s", self.database_name, ", ".join(applied))
        return pool

    def _new_broker(self) -> KafkaBroker:
        """The FastStream broker the inbox is consumed from and dead letters are sent with."""
        return KafkaBroker(
            self.settings.kafka_bootstrap_servers,
            security=broker_security(self.settings),
            acks="all",
            enable_idempotence=True,
            client_id=f"interforce-{self.identity.force.lower()}",
            logger=None,
            graceful_timeout=30.0,
        )

    def _new_processor(
        self, inbox_pool: asyncpg.Pool, broker: KafkaBroker, schemas: SchemaSet
    ) -> InboxProcessor[Any]:
        """What the inbox does with a batch: decode, apply, dead-letter, on `inbox_pool`."""
        identity, settings = self.identity, self.settings
        return InboxProcessor(
            inbox_pool,
            actor=identity.actor,
            decode=InboxDecoder(
                lambda directory: Registry(
                    directory,
                    force=identity.force,
                    schemas=schemas,
                    clock=self._clock,
                    max_clock_skew=timedelta(seconds=settings.max_clock_skew_seconds),
                ),
                identity.current_directory,
                clock=self._clock,
            ),
            apply=InboxApplier(identity.force, outgoing_message, self._clock),
            dead_letters=KafkaDeadLetterSink(broker, self.dead_letter),
            clock=self._clock,
            signer=self.audit_signer,
        )

    def _subscribe_inbox(
        self, broker: KafkaBroker, pool: asyncpg.Pool, processor: InboxProcessor[Any]
    ) -> tuple[StallAlarm, Any]:
        """Subscribe the inbox on `broker`, watched for stalls; the alarm and the subscriber."""
        settings = self.settings
        self.stalls = StallWatch(
            failures=settings.stall_failures, seconds=settings.stall_seconds, clock=self._clock
        )
        alarm = StallAlarm(
            self.stalls,
            pool,
            actor=self.identity.actor,
            clock=self._clock,
            signer=self.audit_signer,
        )
        subscriber = subscribe_inbox(
            broker,
            topic=self.inbox,
            group_id=consumer_group(self.identity.force, settings.namespace),
            pool=pool,
            processor=processor,
            max_records=settings.consumer_batch_size,
            stalls=alarm,
        )
        return alarm, subscriber

    def _watch_stalls(self, alarm: StallAlarm, subscriber: Any) -> None:
        """Probe the started subscriber's partitions for stalls until the node stops."""
        every = min(MAX_STALL_PROBE_SECONDS, self.settings.stall_seconds / 4)
        watching = alarm.run(lambda: subscriber.consumer, self._stopping, every)
        self._inbox_tasks = [asyncio.create_task(watching, name="inbox-stall-watch")]

    async def _start_relay(self, pool: asyncpg.Pool, schemas: SchemaSet) -> None:
        """The outbox relay and its producer; started (with maintenance) unless inbox only."""
        settings, identity = self.settings, self.identity
        self._producer = AIOKafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            acks="all",
            enable_idempotence=True,
            client_id=f"interforce-{identity.force.lower()}-relay",
            **client_options(settings),
        )
        if settings.node_parts != "inbox":
            await self._producer.start()
        publisher = SignedPublisher(
            self._producer,
            force=identity.force,
            key=identity.key,
            directory=identity.directory,
            schemas=schemas,
            namespace=settings.namespace,
            keys=identity.keys,
            directory_now=identity.current_directory,
            disclosure=DisclosurePolicy(settings.disclosure_profiles),
        )
        self.relay = OutboxRelay(
            pool,
            publisher,
            actor=identity.actor,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
            clock=self._clock,
            signer=self.audit_signer,
        )
        if settings.node_parts != "inbox":
            await self._start_checkpoints(pool)
            self._tasks = [
                asyncio.create_task(self.relay.run(self._stopping), name="outbox-relay"),
                asyncio.create_task(self._maintain(), name="maintenance"),
            ]

    async def _start_checkpoints(self, pool: asyncpg.Pool) -> None:
        """Checkpoint the audit log now (signing begins here on an upgraded node), then on."""
        self.checkpointer = AuditCheckpointer(
            pool,
            self.audit_signer,
            self._publish_checkpoint,
            interval=self.settings.audit_checkpoint_seconds,
            clock=self._clock,
        )
        await self.checkpointer.checkpoint()
        self._checkpoints = asyncio.create_task(
            self.checkpointer.run(self._stopping), name="audit-checkpoints"
        )

    async def _publish_checkpoint(self, checkpoint: Checkpoint) -> None:
        if self._producer is None:
            raise RuntimeError("the node has not been started")
        await publish_checkpoint(self._producer, self.audit, checkpoint)

    async def _database_url(self) -> str:
        """The force's database: as the node's own role if set (it must exist), else created."""
        settings = self.settings
        if settings.database_user is None:
            return await ensure_database(settings.server_database_url, self.database_name)
        password = None
        if settings.database_password_file is not None:
            password = settings.database_password_file.read_text(encoding="utf-8").strip()
        server = database_url(settings.server_database_url, self.database_name)
        return login_url(server, settings.database_user, password)

    async def _topics(self) -> None:
        """Create this node's topics, or, where administrators manage them, check they exist."""
        settings = self.settings
        ours = [self.inbox, self.dead_letter]
        options = client_options(settings)
        if settings.kafka_create_topics:
            await ensure_topics(
                settings.kafka_bootstrap_servers,
                ours,
                partitions=settings.kafka_topic_partitions,
                replication_factor=settings.kafka_replication_factor,
                client_options=options,
            )
            await ensure_topics(
                settings.kafka_bootstrap_servers,
                [self.audit],
                partitions=1,
                replication_factor=settings.kafka_replication_factor,
                client_options=options,
                config=AUDIT_TOPIC_CONFIG,
            )
        else:
            await require_topics(
                settings.kafka_bootstrap_servers, [*ours, self.audit], client_options=options
            )

    async def stop(self) -> None:
        """Stop consuming (in-flight work commits), stop the relay, close everything."""
        log.info("node %s stopping", self.identity.force)
        self._stopping.set()
        if self.settings.node_parts != "inbox":
            for service in reversed(self.services):
                await service.stop()
        if self._health is not None:
            await self._health.stop()
        if self.broker is not None:
            await self.broker.stop()
        for task in [*self._tasks, *self._inbox_tasks]:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=30)
        await self._last_checkpoint()
        if self._producer is not None and self.settings.node_parts != "inbox":
            await self._producer.stop()
        for pool in (self._inbox_pool, self.pool):
            if pool is not None:
                await pool.close()
        log.info("node %s stopped", self.identity.force)

    async def _last_checkpoint(self) -> None:
        """At clean shutdown, once everything else has committed: sign the head one last time."""
        if self._checkpoints is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._checkpoints, timeout=30)
        if self.checkpointer is not None:
            await self.checkpointer.checkpoint_or_log()

    async def health(self) -> dict[str, Any]:
        """What the health endpoint reports: `live`, `ready` (`healthy`) and why."""
        report: dict[str, Any] = {"force": self.identity.force, "stopping": self._stopping.is_set()}
        report.update(await self._database_health())
        report.update(self._tasks_health())
        stalled = [stall.report() for stall in self.stalls.stalls()] if self.stalls else []
        report["stalled_partitions"] = stalled
        report["ready"] = report["live"] and report["database"] == "ok" and not stalled
        report["healthy"] = report["ready"]
        return report

    async def _database_health(self) -> dict[str, Any]:
        try:
            if self.pool is None:
                raise RuntimeError("the node has not been started")
            counts = await queue_counts(self.pool)
            failed = (
                await failed_messages(self.pool, limit=FAILED_IN_HEALTH)
                if counts.outbox_failed
                else []
            )
        except Exception as error:
            return {"database": f"unavailable: {error!r}"}
        # A message that can never be sent is failed, not waiting: named here (the oldest
        # few), with `outbox_failed` counting them all.
        return {
            "database": "ok",
            **asdict(counts),
            "outbox": "failed" if counts.outbox_failed else "ok",
            "failed_messages": [message.as_dict() for message in failed],
        }

    def _tasks_health(self) -> dict[str, Any]:
        """The node's tasks, and `live`: whether they all run. Restarting helps a node whose
        tasks died, not one whose database is away or whose partition is stuck: those make
        it unready, not dead."""
        parts = self.settings.node_parts
        relay = sum(not task.done() for task in self._tasks)  # the relay, maintenance
        inbox = sum(not task.done() for task in self._inbox_tasks)  # the stall watch
        live = relay == (0 if parts == "inbox" else 2) and inbox == (0 if parts == "relay" else 1)
        return {
            "parts": parts,
            "relay_tasks_running": relay,
            "inbox_tasks_running": inbox,
            "live": live,
        }

    async def _maintain(self) -> None:
        """Prune sent outbox rows and old inbox ids, hourly."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), MAINTENANCE_INTERVAL_SECONDS)
                return
            try:
                await self.prune()
            except Exception:
                log.exception("maintenance failed; will try again in an hour")

    async def prune(self) -> tuple[int, int]:
        """Delete sent outbox rows and inbox ids past their retention; return the counts."""
        if self.pool is None or self.relay is None:
            raise RuntimeError("the node has not been started")
        settings = self.settings
        outbox = await self.relay.prune(timedelta(days=settings.outbox_retention_days))
        cutoff = self._clock() - timedelta(days=settings.inbox_retention_days)
        inbox = await forget_inbox_ids_before(self.pool, cutoff)
        log.info("pruned %d sent outbox rows and %d inbox ids", outbox, inbox)
        return outbox, inbox


async def _keep_session(connection: asyncpg.Connection) -> None:
    """A pool `reset` that runs no query: for connections that never keep session state."""
