"""`interforce audit verify`: the log against its chain, its seals and both copies of its
checkpoints, and what to tell the operator.

Exit codes: 0 when everything was checked and holds; 1 when tampering is found (the first
bad row or the missing range is named); 2 when nothing is wrong with what could be checked
but the checkpoint topic could not be read (or holds none of the database's checkpoints),
so rows deleted from the log's end since its latest checkpoint in the database could not be
ruled out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg

from interforce.audit.signers import directory_keys
from interforce.audit.topic import TopicCheckpoints, read_checkpoints
from interforce.node.trust import refuse_published_keys, require_configured_directory
from interforce.settings import Settings
from ownership.adapters.audit_log import ChainReport, verify_chain
from schemas.directory import ForceDirectory, default_directory_path, load_directory
from schemas.topics import audit_topic

INTACT, TAMPERED, INCOMPLETE = 0, 1, 2


@dataclass(frozen=True)
class Verification:
    """What `audit verify` found in the database and on the topic."""

    force: str
    report: ChainReport
    topic: TopicCheckpoints

    @property
    def topic_warning(self) -> str | None:
        """Why the topic did not back the database up, if it did not."""
        if self.topic.error is not None:
            return f"the checkpoints on {self.topic.topic} could not be read: {self.topic.error}"
        from_topic = [c for c in self.report.checkpoints if c in set(self.topic.checkpoints)]
        if self.report.database_checkpoints and not from_topic:
            return f"none of the database's checkpoints is on {self.topic.topic}"
        return None

    @property
    def exit_code(self) -> int:
        if not self.report.intact:
            return TAMPERED
        return INCOMPLETE if self.topic_warning else INTACT


async def verify_force(settings: Settings, force: str, url: str) -> Verification:
    """Read the force's checkpoint topic, then verify its database's log against it.

    The public keys come from the directory a node would trust: outside development mode one
    that is configured and lists no published test key, or a forger could sign with it.
    """
    keys = directory_keys(trusted_directory(settings))
    topic = await read_checkpoints(settings, audit_topic(force, settings.namespace))
    connection = await asyncpg.connect(url)
    try:
        report = await verify_chain(connection, force=force, keys=keys, external=topic.checkpoints)
    finally:
        await connection.close()
    return Verification(force, report, topic)


def trusted_directory(settings: Settings) -> ForceDirectory:
    """The directory whose keys vouch for the log; `UntrustedDirectoryError` if none may."""
    require_configured_directory(settings)
    path = settings.directory or default_directory_path()
    directory = load_directory(path)
    if settings.environment != "development":
        refuse_published_keys(path)(directory)
    return directory


def lines(verification: Verification) -> list[str]:
    """The report for a person: the verdict first, as `ok: …, chain intact` or `BROKEN …`."""
    report = verification.report
    if report.intact:
        out = [f"ok: {report.rows_checked} rows, chain intact"]
    else:
        at = f" at row {report.broken_at}" if report.broken_at is not None else ""
        out = [
            f"BROKEN{at}: {report.problem} ({report.rows_checked} rows before it are intact)",
            *(f"also: {problem}" for problem in report.problems[1:]),
        ]
    out.append(_signatures(report))
    out.append(_checkpoints(verification))
    warning = verification.topic_warning
    if warning is not None:
        latest = report.latest
        since = f" since {latest.describe()} (length {latest.length})" if latest else ""
        out.append(
            f"WARNING: {warning}; rows deleted from the end of the log{since} would not be found"
        )
    return out


def _signatures(report: ChainReport) -> str:
    legacy = report.legacy_rows
    signed = f"{report.seals} signed appends"
    if legacy:
        vouched = (
            f"; the {report.checkpoints[0].describe()} signed their state then"
            if report.checkpoints
            else ""
        )
        return (
            f"signatures: {signed}; rows 1–{legacy} predate signing (an earlier version wrote"
            f" them): only the chain vouches for them{vouched}"
        )
    return f"signatures: {signed}, every row signed"


def _checkpoints(verification: Verification) -> str:
    report, topic = verification.report, verification.topic
    on_topic = f"{len(topic.checkpoints)} on {topic.topic}" if topic.read else "topic not read"
    latest = report.latest
    newest = f"; the latest, {latest.describe()}, signed length {latest.length}" if latest else ""
    odd = ""
    if topic.not_checkpoints:
        odd = f"; {topic.not_checkpoints} records there are not checkpoints"
    return f"checkpoints: {report.database_checkpoints} in the database, {on_topic}{newest}{odd}"


def as_json(verification: Verification) -> dict[str, Any]:
    """The report for scripts."""
    report, topic = verification.report, verification.topic
    latest = report.latest
    return {
        "intact": report.intact,
        "rows_checked": report.rows_checked,
        "broken_at": report.broken_at,
        "problem": report.problem,
        "problems": list(report.problems),
        "legacy_rows": report.legacy_rows,
        "signed_appends": report.seals,
        "checkpoints_in_database": report.database_checkpoints,
        "checkpoints_on_topic": len(topic.checkpoints) if topic.read else None,
        "latest_checkpoint": latest.document() if latest else None,
        "topic": topic.topic,
        "warning": verification.topic_warning,
        "exit_code": verification.exit_code,
    }
