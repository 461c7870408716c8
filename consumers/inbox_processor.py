"""Apply a batch of inbox records exactly once: in one transaction, each partition in order.

1. lock the stored offset of every partition in the batch (one statement) and skip the
   records below it: they were applied by an earlier transaction. A partition whose records
   start *past* its stored offset was read from the wrong place (records in between were
   never read here): none of its records is applied, and its outcome says where to rewind;
2. decode every record (a refusal becomes a dead letter, never an exception; so does anything
   unexpected a record makes the decoder raise, as `internal-error`: one record's bytes can
   never fail its batch);
3. insert every message id into the inbox in one statement (a duplicate is a no-op, audited);
4. apply the new messages, record dead letters and put them on the DLQ topic, advance every
   partition's stored offset and append the audit entries, the messages' own among them;
5. commit. A transient fault rolls the whole batch's work back and retries it with backoff
   until it succeeds: nothing is lost and nothing is applied twice.

Messages are applied together first: one effect batch loads what they need in one query,
applies them in memory, in order, and writes their effects in one go. If any message is
refused or fails there, the transaction rolls back and the batch is applied again in a new
one, message by message, each in a savepoint of its own with an effect batch of its own, so
a refusal rolls back only its own message and becomes a dead letter, and its neighbours apply.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

import asyncpg
from tenacity import AsyncRetrying, retry_if_exception, wait_exponential_jitter

from consumers.dead_letters import DeadLetter, DeadLetterSink, record_dead_letters
from consumers.offsets import lock_offsets, store_offsets
from consumers.records import InboxRecord
from consumers.refusal import INTERNAL_ERROR, Refused, internal_error
from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.db import Connection
from ownership.adapters.transient import is_transient
from schemas.safe_text import safe_text

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
    one_by_one: bool = False  # applying the batch together failed: each message went alone
    rewind_to: int | None = None  # read past unread records: read again from here
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
        signer: AuditSigner | None = None,
    ) -> None:
        self._pool = pool
        self._signer = signer  # seals each batch's audit entries with the force's key
        self._actor = actor
        self._decode = decode
        self._apply = apply
        self._dead_letters = dead_letters
        self._clock = clock
        self._max_backoff = max_backoff_seconds

    async def process(self, records: Sequence[InboxRecord]) -> list[PartitionOutcome]:
        """Apply records in one transaction, each partition's records in offset order."""
        if not records:
            return []
        attempts = 0
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=wait_exponential_jitter(multiplier=0.05, max=self._max_backoff),
            before_sleep=lambda state: log.warning(
                "transient fault applying %d records from %s (attempt %d), retrying: %r",
                len(records),
                records[0].position,
                state.attempt_number,
                state.outcome.exception() if state.outcome else None,
            ),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                attempts += 1
                try:
                    outcomes = await self._apply_batch(records, together=True)
                except _ApplyAlone:
                    outcomes = await self._apply_batch(records, together=False)
        for outcome in outcomes:
            outcome.attempts = attempts
        return outcomes

    async def expire(self, topic: str, partition: int, first_kept: int) -> int:
        """Record that a partition's records before `first_kept` were deleted from the topic
        (its retention ran out) before this node read them: store `first_kept` as the next
        offset, audit how many were lost, and return that number."""
        async with self._pool.acquire() as connection, connection.transaction():
            stored = (await lock_offsets(connection, [(topic, partition)]))[(topic, partition)]
            lost = max(0, first_kept - stored)
            if lost:
                await store_offsets(connection, {(topic, partition): first_kept})
                detail = {"topic": topic, "partition": partition, "from": stored, "to": first_kept}
                entry = AuditEntry(
                    actor=self._actor,
                    action="inbox.records-expired",
                    at=self._clock(),
                    reason=f"{lost} records deleted from the topic before they were read",
                    detail=detail,
                )
                await append_entries(connection, [entry], signer=self._signer)
        return lost

    async def _apply_batch(
        self, records: Sequence[InboxRecord], *, together: bool
    ) -> list[PartitionOutcome]:
        """One transaction over the batch; `_ApplyAlone` (and nothing done) if applying it
        together failed and it must be applied message by message."""
        work = _Work.of(records, one_by_one=not together)
        async with self._pool.acquire() as connection, connection.transaction():
            stored = await lock_offsets(connection, list(work.partitions))
            accepted = self._accept_fresh(work, stored)
            new = await _claim_inbox(accepted, connection)
            results: Sequence[Applied | Refused]
            if together:
                results = await self._together(connection, new)
            else:
                results = [await self._alone(connection, message) for message in new]
            result_of = dict(zip(map(id, new), results, strict=True))
            for message in accepted:
                self._account(message, result_of.get(id(message)), work)
            if work.letters:
                await record_dead_letters(connection, work.letters)
                await self._dead_letters.send(work.letters)
            await store_offsets(connection, work.next_offsets())
            await append_entries(connection, work.audit, signer=self._signer)
        for letter in work.letters:  # once the batch is committed: never twice for a record
            log.log(
                logging.ERROR if letter.reason == INTERNAL_ERROR else logging.WARNING,
                "dead-lettered %s: %s: %s",
                letter.record.position,
                letter.reason,
                letter.detail,
                exc_info=letter.fault,
            )
        return list(work.outcomes.values())

    def _accept_fresh(
        self, work: _Work, stored: Mapping[tuple[str, int], int]
    ) -> list[Accepted[M]]:
        """Decode each record at or past its partition's stored offset; skip the rest."""
        accepted: list[Accepted[M]] = []
        for key, group in work.partitions.items():
            outcome = work.outcomes[key]
            if group[0].offset > stored[key]:
                log.error(
                    "%s: read from offset %d, but offset %d is the next not yet applied:"
                    " reading again from %d",
                    group[0].position, group[0].offset, stored[key], stored[key],
                )  # fmt: skip
                outcome.rewind_to = outcome.next_offset = stored[key]
                outcome.skipped = len(group)
                continue
            fresh = [record for record in group if record.offset >= stored[key]]
            outcome.skipped = len(group) - len(fresh)
            outcome.next_offset = max(group[-1].offset + 1, stored[key])
            for record in fresh:
                message = self._decoded(record, outcome, work)
                if message is not None:
                    accepted.append(message)
        return accepted

    def _account(self, message: Accepted[M], result: Applied | Refused | None, work: _Work) -> None:
        """Count and audit one accepted message: a duplicate (no result), applied or refused."""
        outcome = work.outcomes[(message.record.topic, message.record.partition)]
        if result is None:
            outcome.duplicates += 1
            work.audit.append(self._entry("message.duplicate", message, "already applied; no-op"))
        else:
            self._record(message, result, outcome, work)

    def _decoded(
        self, record: InboxRecord, outcome: PartitionOutcome, work: _Work
    ) -> Accepted[M] | None:
        """The accepted message, or None once a refusal is dead-lettered. Whatever else
        decoding raises is this record's fault, not the batch's: it is dead-lettered as
        `internal-error`, unless it is transient (then the batch is retried)."""
        try:
            return self._decode(record)
        except Refused as refusal:
            self._dead_letter(DeadLetter.of(record, refusal), outcome, work)
        except Exception as error:
            if is_transient(error):
                raise
            self._dead_letter(
                DeadLetter.of(record, internal_error(error, "decoding")), outcome, work
            )
        return None

    async def _together(
        self, connection: Connection, messages: Sequence[Accepted[M]]
    ) -> list[Applied]:
        """Apply the messages in one effect batch; `_ApplyAlone` if any of them fails."""
        if not messages:
            return []
        try:
            results = await self._effects(connection, messages)
        except Exception as error:
            if is_transient(error):
                raise
            log.info(
                "%d messages from %s fail together (%s): applying them one by one",
                len(messages),
                messages[0].record.position,
                safe_text(repr(error)),
            )
            raise _ApplyAlone from error
        return results

    async def _alone(self, connection: Connection, message: Accepted[M]) -> Applied | Refused:
        """Apply one message in a savepoint and a batch of its own; a refusal rolls it back."""
        try:
            async with connection.transaction():
                (applied,) = await self._effects(connection, [message])
        except Refused as refusal:
            return refusal
        except Exception as error:
            if is_transient(error):
                raise
            # A fault of ours, not of the message's: it must not block the partition, and it
            # must not vanish. It goes to dead letters, where it can be replayed once fixed.
            return internal_error(error, "applying")
        return applied

    async def _effects(
        self, connection: Connection, messages: Sequence[Accepted[M]]
    ) -> list[Applied]:
        """Load, apply in order and write the messages in one effect batch."""
        effects = self._apply(connection)
        await effects.load(messages)
        results = [await effects.apply(message) for message in messages]
        await effects.write()
        return results

    def _record(
        self,
        accepted: Accepted[M],
        result: Applied | Refused,
        outcome: PartitionOutcome,
        work: _Work,
    ) -> None:
        """Count and audit what applying one message did; dead-letter a refusal."""
        if isinstance(result, Applied):
            work.audit.append(self._entry("message.received", accepted, accepted.message_type))
            work.audit.extend(result.audit)
            if result.refused is None:
                outcome.applied += 1
                return
            result = result.refused  # kept by the domain, and dead-lettered too
        letter = DeadLetter(
            accepted.record,
            result.reason,
            result.detail,
            accepted.sender,
            accepted.message_id,
            result.fault,
        )
        self._dead_letter(letter, outcome, work)

    def _dead_letter(self, letter: DeadLetter, outcome: PartitionOutcome, work: _Work) -> None:
        outcome.dead_lettered += 1
        outcome.reasons.append(letter.reason)
        work.letters.append(letter)
        work.audit.append(
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


@dataclass
class _Work:
    """One transaction's batch: its records by partition, and what applying them did."""

    partitions: dict[tuple[str, int], list[InboxRecord]]
    outcomes: dict[tuple[str, int], PartitionOutcome]
    letters: list[DeadLetter] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)

    @classmethod
    def of(cls, records: Sequence[InboxRecord], *, one_by_one: bool) -> _Work:
        partitions: dict[tuple[str, int], list[InboxRecord]] = defaultdict(list)
        for record in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
            partitions[(record.topic, record.partition)].append(record)
        outcomes = {
            key: PartitionOutcome(*key, next_offset=group[0].offset, one_by_one=one_by_one)
            for key, group in partitions.items()
        }
        return cls(dict(partitions), outcomes)

    def next_offsets(self) -> dict[tuple[str, int], int]:
        return {key: outcome.next_offset for key, outcome in self.outcomes.items()}


class _ApplyAlone(Exception):  # noqa: N818 - a signal, not a fault
    """Applying a batch together failed: roll back and apply it message by message."""


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
