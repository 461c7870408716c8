"""Sign the audit log's head and keep the checkpoint in the database (see `audit_signing`).

The head is read under the audit log's append lock, so the checkpoint names a head that
was the log's true end at that moment; the caller then copies it outside the database.
"""

from __future__ import annotations

from datetime import datetime

from ownership.adapters.audit_log import AUDIT_LOCK_KEY, audit_head
from ownership.adapters.audit_signing import AuditSigner, Checkpoint, sign_checkpoint
from ownership.adapters.db import Connection


async def write_checkpoint(connection: Connection, signer: AuditSigner, at: datetime) -> Checkpoint:
    """Sign the log's current head at `at`, store it in `audit_checkpoints`, return it."""
    async with connection.transaction():
        await connection.execute("select pg_advisory_xact_lock($1)", AUDIT_LOCK_KEY)
        length, head = await audit_head(connection)
        database = str(await connection.fetchval("select current_database()"))
        checkpoint = sign_checkpoint(signer, database, length, head, at)
        await connection.execute(
            "insert into audit_checkpoints (length, head_hash, at, force, database, kid,"
            " signature) values ($1, $2, $3, $4, $5, $6, $7)",
            checkpoint.length,
            checkpoint.head_hash,
            checkpoint.at,
            checkpoint.force,
            checkpoint.database,
            checkpoint.kid,
            checkpoint.signature,
        )
    return checkpoint
