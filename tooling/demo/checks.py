"""After the scenarios: each offender's owner and epoch in every force's view; the invariants."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from interforce.audit.signers import directory_keys
from ownership.adapters.audit_log import verify_chain
from schemas.directory import load_directory
from tooling.demo.path_checks import status_text
from tooling.demo.stage import Stage


async def settle(stage: Stage, within: float = 15.0) -> None:
    """Wait until every force's outbox has been relayed."""
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        waiting = 0
        for desk in stage.desks.values():
            waiting += await desk.pool.fetchval(
                "select count(*) from outbox where sent_at is null and failure is null"
            )
        if not waiting:
            return
        await asyncio.sleep(0.2)


async def ownership_table(stage: Stage) -> tuple[list[str], list[str]]:
    """The final table, and a failure line for every offender whose views disagree."""
    forces = list(stage.desks)
    header = "".join(f"{force:>9}" for force in forces)
    lines = ["offender".ljust(18) + header + "   expected  status"]
    failures, now = [], datetime.now(UTC)
    for reference in sorted(stage.expected):
        views: dict[str, tuple[str, int]] = {}
        statuses: set[str] = set()
        for force in forces:
            record = await stage.record(force, reference)
            if record is not None:
                views[force] = (record.owner, record.epoch)
                statuses.add(status_text(record, now))
        cells = "".join(
            f"{views[f][0] + '@' + str(views[f][1]) if f in views else '-':>9}" for f in forces
        )
        owner, epoch = stage.expected[reference]
        status = "; ".join(sorted(statuses - {""}))
        lines.append(f"{reference:<18}{cells}   {f'{owner}@{epoch}':<10}{status}".rstrip())
        if set(views.values()) != {(owner, epoch)}:
            failures.append(f"{reference}: views {views} differ from the expected {owner}@{epoch}")
    return lines, failures


async def invariant_failures(stage: Stage) -> list[str]:
    """Every invariant the demo checks, as failure lines (none when all hold)."""
    failures: list[str] = []
    found: Counter[tuple[str, str]] = Counter()
    keys = directory_keys(load_directory())  # the packaged one, as the demo's nodes use
    for force, desk in stage.desks.items():
        rows = await desk.pool.fetch("select reason from dead_letters")
        found.update((force, row["reason"]) for row in rows)
        stuck = await desk.pool.fetchval(
            "select count(*) from outbox where sent_at is null or failure is not null"
        )
        if stuck:
            failures.append(f"{force}: {stuck} outbox messages not sent")
        async with desk.pool.acquire() as connection:
            report = await verify_chain(connection, force=force, keys=keys)
        if not report.intact:
            failures.append(f"{force}: audit log broken: {report.problem}")
    for ends_where_it_should in stage.end_checks:
        try:
            failures += await ends_where_it_should(stage)
        except Exception as error:  # a record missing or unreadable: say which
            failures.append(f"{type(error).__name__}: {error}")
    if found != Counter(stage.expected_dead_letters):
        failures.append(f"dead letters {dict(found)}, expected {stage.expected_dead_letters}")
    return failures
