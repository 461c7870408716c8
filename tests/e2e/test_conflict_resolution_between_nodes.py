"""A conflict resolved between two real node processes over the real broker and database.

GMP hands an offender over to WMP; GMP's view is then corrupted so that it, too, holds that
it owns the record, and reconciliation raises the two-owner conflict at both forces. GMP's
coordinator proposes (`interforce conflict propose`) that WMP owns at a new epoch. Before
WMP's coordinator confirms, two confirmations reach GMP's inbox, genuinely signed: one from
MPS, a force the proposal never asked, and one from WMP at a stale epoch. GMP refuses and
dead-letters both and nothing changes; WMP's coordinator's confirmation (`interforce
conflict confirm`) then travels over Kafka and both records hold WMP at the new epoch,
unfrozen, and agree at the next reconciliation. GMP's dashboard lists the proposal meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ownership.domain.history import ChangeKind
from ownership.domain.record_core import RecordStatus
from schemas.outgoing import Addressing, compose_envelope, encode_message
from schemas.signing import sign_envelope
from schemas.topics import inbox_topic
from schemas.version import Version
from tests.e2e.test_reconciliation_between_nodes import (
    corrupt_to_owner,
    dashboard_conflicts,
    reconcile,
)
from tests.keys import load_test_key
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tests.support.wire import produce
from tooling.autopilot import Autopilot
from tooling.services.process import free_port

pytestmark = pytest.mark.e2e


async def conflict_cli(run: Running, force: str, *args: str) -> dict[str, Any]:
    env = run.federation.env(force, INTERFORCE_USER=f"coordinator.{force.lower()}")
    command = [sys.executable, "-m", "interforce", "conflict", *args, "--force", force, "--json"]
    done = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def confirmation(sender: str, reference: str, proposal_id: str, epoch: int) -> bytes:
    """``sender``'s genuinely signed confirmation of GMP's proposal, at ``epoch``."""
    addressing = Addressing(
        sender=sender, recipient="GMP", subject=reference, epoch=epoch, causationid=proposal_id
    )
    body = {"proposal_id": proposal_id, "new_owner": "WMP", "new_epoch": epoch,
            "coordinator": f"{sender} coordinator", "reason": "confirmed"}  # fmt: skip
    envelope = compose_envelope("resolution.confirmed", Version.parse("1.0"), body, addressing)
    return encode_message(sign_envelope(envelope, load_test_key(f"{sender.lower()}-2024")))


async def dead_letters(run: Running, force: str) -> Counter[tuple[str, str]]:
    rows = await run.desks[force].pool.fetch("select reason, sender from dead_letters")
    return Counter((row["reason"], row["sender"]) for row in rows)


async def test_a_conflict_is_resolved_after_refused_confirmations(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    [planned] = plans("GMP", "WMP", 1)
    reference = planned.reference
    port = free_port()
    web = {"INTERFORCE_WEB_PORT": str(port), "INTERFORCE_WEB_SESSION_SECRET": "s" * 48}
    async with running(federation, []) as run:
        await run.start("GMP", **web)
        await run.start("WMP")
        pilot = Autopilot(run.desks, [planned])
        await pilot.begin()
        await pilot.run_until_converged(within=120)
        await corrupt_to_owner(run, "GMP", reference)
        for force in ("GMP", "WMP"):
            code, _ = await reconcile(run, force)
            assert code == 1
        gmp, wmp = run.desks["GMP"], run.desks["WMP"]

        proposed = await conflict_cli(run, "GMP", "propose", reference, "--with", "WMP",
                                      "--owner", "WMP", "--reason", "WMP accepted and holds"
                                      " the registration")  # fmt: skip
        proposal, epoch = proposed["proposal_id"], proposed["epoch"]
        assert epoch == 3

        async def wmp_holds_the_proposal() -> bool:
            record = await wmp.record(reference)
            return record is not None and [p.proposal_id for p in record.resolutions] == [proposal]

        await eventually(wmp_holds_the_proposal, within=60)
        page = await dashboard_conflicts(run, f"http://127.0.0.1:{port}")
        assert "Proposed resolutions (1)" in page
        assert proposal in page

        inbox = inbox_topic("GMP", federation.namespace)
        for sender, at_epoch in (("MPS", epoch), ("WMP", epoch - 1)):
            raw = confirmation(sender, reference, proposal, at_epoch)
            await produce(kafka_bootstrap, inbox, raw, reference.encode())

        async def both_refused() -> bool:
            found = await dead_letters(run, "GMP")
            return found[("not-a-party", "MPS")] == 1 and found[("stale-epoch", "WMP")] == 1

        await eventually(both_refused, within=60)
        record = await gmp.record(reference)
        assert record is not None
        assert (record.owner, record.epoch, record.status) == ("GMP", 2, RecordStatus.IN_CONFLICT)
        assert [r.code for r in record.refusals][-2:] == ["not_a_party", "stale_epoch"]

        confirmed = await conflict_cli(run, "WMP", "confirm", reference, proposal,
                                       "--reason", "agreed with GMP's coordinator")  # fmt: skip
        assert (confirmed["owner"], confirmed["epoch"]) == ("WMP", epoch)

        async def gmp_resolved() -> bool:
            held = await gmp.record(reference)
            return held is not None and (held.owner, held.epoch) == ("WMP", epoch)

        await eventually(gmp_resolved, within=60)
        for force, status in (("GMP", RecordStatus.OWNED_ELSEWHERE), ("WMP", RecordStatus.OWNED)):
            held = await run.desks[force].record(reference)
            assert held is not None
            assert (held.owner, held.epoch, held.status) == ("WMP", epoch, status)
            assert held.conflicts == []
            assert held.history[-1].kind is ChangeKind.RESOLVED
            assert await run.audit_intact(force)
        assert await dead_letters(run, "GMP") == Counter(
            {("not-a-party", "MPS"): 1, ("stale-epoch", "WMP"): 1}
        )
        assert await dead_letters(run, "WMP") == Counter()

        code, result = await reconcile(run, "GMP")
        assert (code, result["conflicts"]) == (0, [])
