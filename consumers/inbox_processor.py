"""Apply a batch of inbox records exactly once: per partition, in order, in one transaction.

For each partition in the batch, concurrently with the others:
1. decode every record (a refusal becomes a dead letter, never an exception);
2. in one transaction: skip records below the stored offset, insert every message id into
   the inbox in one statement (a duplicate is a no-op, audited), apply the new messages,
   record dead letters, put them on the DLQ topic, advance the stored offset and append the
   audit entries, the messages' own among them, in one go;
3. commit. A transient fault rolls the whole partition's work back and retries it with
   backoff until it succeeds: nothing is lost and nothing is applied twice.

Messages are applied together first: one effect batch loads what they need in one query,
applies them in memory, in order, and writes their effects in one go, inside one savepoint.
If any message is refused or fails there, that savepoint rolls back and the messages are
applied again one by one, each in a savepoint of its own with a batch of its own, so a
refusal rolls back only its own message and becomes a dead letter, and its neighbours apply.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

import asyncpg
from tenacity import AsyncRetrying, retry_if_exception, wait_exponential_jitter

from consumers.dead_letters import DeadLetter, DeadLetterSink, record_dead_letters
from consumers.offsets import store_offset
from consumers.records import InboxRecord
from consumers.refusal import Refused
from consumers.transient import is_transient
from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.db import Connection

log = logging.getLogger(__name__)

M = TypeVar("M")


@dataclass(frozen=True)
class Accepted(Generic[M]):
    """A record that decoded into a message this force may apply."""

    record: InboxRecord
    sender: str
    message_id: str
    message_type: str
    subject: str | None
    message: M


Decode = Callable[[InboxRecord], Accepted[M]]
"""Turns a record into an accepted message or raises `Refused`."""


@dataclass(frozen=True)
class Applied:
    """What applying one message did.

    `refused` is set when the domain recorded a refusal (a stale epoch, a conflict) that
    must be kept: the effects stay committed and the message also goes to dead letters.
    """

    audit: Sequence[AuditEntry] = ()
    refused: Refused | None = None


class EffectBatch(Protocol[M]):
    """The effects of some messages, applied in order and written together."""

    async def load(self, messages: Sequence[Accepted[M]]) -> None:
        """Read what applying these messages needs, before any is applied."""

    async def apply(self, message: Accepted[M]) -> Applied:
        """Apply one message; raise `Refused` when it must be rolled back and dead-lettered."""

    async def write(self) -> None:
        """Write the effects of every message applied, on the batch's connection."""


StartBatch = Callable[[Connection], EffectBatch[M]]
"""Starts an effect batch on the caller's connection, inside the caller's transaction."""


@dataclass
class PartitionOutcome:
    """What one partition's batch did, for logs, tests and the courtesy Kafka commit."""

    topic: str
    partition: int
    next_offset: int
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    skipped: int = 0
    attempts: int = 1
    one_by_one: bool = False  # applied together failed, so each message went on its own
    reasons: list[str] = field(default_factory=list)


class InboxProcessor(Generic[M]):
    """Applies batches of inbox records for one force's node."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        actor: str,
        decode: Decode[M],
        apply: StartBatch[M],
        dead_letters: DeadLetterSink,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self._pool = pool
        self._actor = actor
        self._decode = decode
        self._apply = apply
        self._dead_letters = dead_letters
        self._clock = clock
        self._max_backoff = max_backoff_seconds

    async def process(self, records: Sequence[InboxRecord]) -> list[PartitionOutcome]:
        """Apply records, partitions concurrently, each partition's records in offset order."""
        by_partition: dict[tuple[str, int], list[InboxRecord]] = defaultdict(list)
        for record in records:
            by_partition[(record.topic, record.partition)].append(record)
        batches = [sorted(group, key=lambda r: r.offset) for group in by_partition.values()]
        return list(await asyncio.gather(*(self._with_retry(batch) for batch in batches)))

    async def _with_retry(self, batch: list[InboxRecord]) -> PartitionOutcome:
        attempts = 0
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=wait_exponential_jitter(multiplier=0.05, max=self._max_backoff),
            before_sleep=lambda state: log.warning(
                "transient fault applying %s (attempt %d), retrying: %r",
                batch[0].position,
                state.attempt_number,
                state.outcome.exception() if state.outcome else None,
            ),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                attempts += 1
                outcome = await self._apply_partition(batch)
        outcome.attempts = attempts
        return outcome

    async def _apply_partition(self, batch: list[InboxRecord]) -> PartitionOutcome:
        first = batch[0]
        outcome = PartitionOutcome(first.topic, first.partition, next_offset=first.offset)
        letters: list[DeadLetter] = []
        audit: list[AuditEntry] = []
        async with self._pool.acquire() as connection, connection.transaction():
            stored = await self._lock_stored_offset(connection, first.topic, first.partition)
            fresh = [record for record in batch if stored is None or record.offset >= stored]
            outcome.skipped = len(batch) - len(fresh)
            decoded = [self._decoded(record, outcome, letters, audit) for record in fresh]
            accepted = [message for message in decoded if message is not None]
            new = await _claim_inbox(accepted, connection)
            results: Sequence[Applied | Refused] | None = None
            if len(new) > 1:
                results = await self._together(connection, new)
                outcome.one_by_one = results is None
            if results is None:
                results = [await self._alone(connection, message) for message in new]
            outcome_of = dict(zip(map(id, new), results, strict=True))
            for message in accepted:
                result = outcome_of.get(id(message))
                if result is None:
                    outcome.duplicates += 1
                    audit.append(
                        self._entry("message.duplicate", message, "already applied; no-op")
                    )
                else:
                    self._record(message, result, outcome, letters, audit)
            outcome.next_offset = max(batch[-1].offset + 1, stored or 0)
            if letters:
                await record_dead_letters(connection, letters)
                await self._dead_letters.send(letters)
            await store_offset(connection, first.topic, first.partition, outcome.next_offset)
            await append_entries(connection, audit)
        return outcome

    def _decoded(
        self,
        record: InboxRecord,
        outcome: PartitionOutcome,
        letters: list[DeadLetter],
        audit: list[AuditEntry],
    ) -> Accepted[M] | None:
        """The accepted message, or None once a refusal is dead-lettered."""
        try:
            return self._decode(record)
        except Refused as refusal:
            self._dead_letter(DeadLetter.of(record, refusal), outcome, letters, audit)
            return None

    async def _together(
        self, connection: Connection, messages: Sequence[Accepted[M]]
    ) -> list[Applied] | None:
        """Apply the messages in one effect batch; None (and nothing done) if any fails."""
        try:
            async with connection.transaction():
                effects = self._apply(connection)
                await effects.load(messages)
                results = [await effects.apply(message) for message in messages]
                await effects.write()
        except Exception as error:
            if is_transient(error):
                raise
            log.info(
                "%d messages from %s fail together (%r): applying them one by one",
                len(messages),
                messages[0].record.position,
                error,
            )
            return None
        return results

    async def _alone(self, connection: Connection, message: Accepted[M]) -> Applied | Refused:
        """Apply one message in a savepoint and a batch of its own; a refusal rolls it back."""
        try:
            async with connection.transaction():
                effects = self._apply(connection)
                await effects.load([message])
                applied = await effects.apply(message)
                await effects.write()
        except Refused as refusal:
            return refusal
        except Exception as error:
            if is_transient(error):
                raise
            # A fault of ours, not of the message's: it must not block the partition, and it
            # must not vanish. It goes to dead letters, where it can be replayed once fixed.
            log.exception("applying %s failed unexpectedly", message.record.position)
            return Refused("internal-error", repr(error))
        return applied

    def _record(
        self,
        accepted: Accepted[M],
        result: Applied | Refused,
        outcome: PartitionOutcome,
        letters: list[DeadLetter],
        audit: list[AuditEntry],
    ) -> None:
        """Count and audit what applying one message did; dead-letter a refusal."""
        if isinstance(result, Applied):
            audit.append(self._entry("message.received", accepted, accepted.message_type))
            audit.extend(result.audit)
            if result.refused is None:
                outcome.applied += 1
                return
            result = result.refused  # kept by the domain, and dead-lettered too
        letter = DeadLetter(
            accepted.record, result.reason, result.detail, accepted.sender, accepted.message_id
        )
        self._dead_letter(letter, outcome, letters, audit)

    def _dead_letter(
        self,
        letter: DeadLetter,
        outcome: PartitionOutcome,
        letters: list[DeadLetter],
        audit: list[AuditEntry],
    ) -> None:
        log.warning(
            "dead-lettering %s: %s: %s", letter.record.position, letter.reason, letter.detail
        )
        outcome.dead_lettered += 1
        outcome.reasons.append(letter.reason)
        letters.append(letter)
        audit.append(
            AuditEntry(
                actor=self._actor,
                action="message.dead-lettered",
                at=self._clock(),
                reason=letter.reason,
                detail={
                    "position": letter.record.position,
                    "detail": letter.detail,
                    "sender": letter.sender,
                    "message_id": letter.message_id,
                },
            )
        )

    def _entry(self, action: str, accepted: Accepted[M], reason: str) -> AuditEntry:
        return AuditEntry(
            actor=self._actor,
            action=action,
            at=self._clock(),
            subject=accepted.subject,
            reason=reason,
            detail={
                "sender": accepted.sender,
                "message_id": accepted.message_id,
                "type": accepted.message_type,
                "position": accepted.record.position,
            },
        )

    @staticmethod
    async def _lock_stored_offset(connection: Connection, topic: str, partition: int) -> int | None:
        """The stored offset, row-locked so two consumers of one partition take turns."""
        await connection.execute(
            "insert into consumed_offsets (topic, partition, next_offset) values ($1, $2, 0)"
            " on conflict do nothing",
            topic,
            partition,
        )
        value = await connection.fetchval(
            "select next_offset from consumed_offsets"
            " where topic = $1 and partition = $2 for update",
            topic,
            partition,
        )
        return int(value) if value is not None else None


async def _claim_inbox(
    messages: Sequence[Accepted[Any]], connection: Connection
) -> list[Accepted[Any]]:
    """Insert every message's id into the inbox in one statement; return the new messages.

    A row is kept even when its message is then refused, so a replay of it is a duplicate.
    The first copy of a message in the batch is new; a second copy is a duplicate.
    """
    if not messages:
        return []
    rows = await connection.fetch(
        "insert into inbox (sender, message_id)"
        " select * from unnest($1::text[], $2::text[]) on conflict do nothing"
        " returning sender, message_id",
        [m.sender for m in messages],
        [m.message_id for m in messages],
    )
    claimed = {(row["sender"], row["message_id"]) for row in rows}
    new = []
    for message in messages:
        key = (message.sender, message.message_id)
        if key in claimed:
            claimed.discard(key)
            new.append(message)
    return new
