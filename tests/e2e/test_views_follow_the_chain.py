"""Only the chain of owners moves a view: attacks by forces outside it, over the real broker.

MPS takes no part in GMP's hand-overs to WMP, yet holds a key the directory trusts. Its
genuinely signed messages, produced straight onto WMP's inbox, try to take over WMP's view:
a later-epoch `transfer.notified` for an offender GMP is handing over (the third-force
attack), and an `offender.absent` that would open a view WMP does not hold, then claim a
later epoch of one it does (a former owner's plant). WMP refuses each, dead-letters it with
its reason, raises a conflict on the record it holds, and GMP's genuine hand-overs complete.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

import pytest

from ownership.domain.history import ConflictKind
from schemas.outgoing import Addressing, compose_envelope, encode_message
from schemas.signing import sign_envelope
from schemas.topics import inbox_topic
from schemas.version import Version
from tests.corpus.generate import example
from tests.keys import load_test_key
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tests.support.wire import produce, read_topic
from tooling.autopilot import Autopilot, PlannedTransfer

pytestmark = pytest.mark.e2e

OUTSIDER = "MPS"


def outsiders_copy(genuine: dict[str, Any], epoch: int) -> bytes:
    """GMP's notification as MPS would send it: its own id, transfer and epoch, its own key."""
    envelope = {
        **genuine,
        "id": str(uuid.uuid4()),
        "source": OUTSIDER,
        "transferid": str(uuid.uuid4()),
        "epoch": epoch,
    }
    return encode_message(sign_envelope(envelope, load_test_key("mps-2024")))


def absence_notice(reference: str, epoch: int) -> bytes:
    """MPS's genuinely signed word that the offender moved to WMP's area."""
    addressing = Addressing(sender=OUTSIDER, recipient="WMP", subject=reference, epoch=epoch)
    body = example("offender.absent")
    envelope = compose_envelope("offender.absent", Version.parse("1.0"), body, addressing)
    return encode_message(sign_envelope(envelope, load_test_key("mps-2024")))


async def dead_letters(run: Running) -> Counter[tuple[str, str]]:
    rows = await run.desks["WMP"].pool.fetch("select reason, sender from dead_letters")
    return Counter((row["reason"], row["sender"]) for row in rows)


async def genuine_notification(run: Running, plan: PlannedTransfer) -> dict[str, Any]:
    topic = inbox_topic("WMP", run.federation.namespace)
    for record in await read_topic(run.federation.kafka_bootstrap, topic, at_least=2):
        envelope: dict[str, Any] = json.loads(record.value)
        if envelope["type"].endswith("transfer.notified") and envelope["subject"] == plan.reference:
            return envelope
    raise AssertionError(f"no notification of {plan.reference} on WMP's inbox")


async def test_forces_outside_the_chain_cannot_move_a_view_and_hand_overs_complete(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Any
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    attacked, planted = plans("GMP", "WMP", 2)
    inbox = inbox_topic("WMP", federation.namespace)
    async with running(federation, ["GMP", "WMP"]) as run:
        wmp = run.desks["WMP"]

        # A plant where WMP holds nothing: only a notification addressed to WMP opens a view.
        await produce(
            kafka_bootstrap, inbox, absence_notice(planted.reference, 1), planted.reference.encode()
        )

        async def plant_refused() -> bool:
            return (await dead_letters(run))[("cannot-establish-view", OUTSIDER)] == 1

        await eventually(plant_refused, within=60)
        assert await wmp.record(planted.reference) is None

        pilot = Autopilot(run.desks, [attacked, planted])
        await pilot.begin()

        async def both_notified() -> bool:
            held = [await wmp.record(plan.reference) for plan in (attacked, planted)]
            return all(record is not None for record in held)

        await eventually(both_notified, within=60)
        genuine = await genuine_notification(run, attacked)
        assert (genuine["source"], genuine["epoch"]) == ("GMP", 1)

        # The third-force attack, and the plant's later claim on the view WMP now holds.
        await produce(
            kafka_bootstrap, inbox, outsiders_copy(genuine, 7), attacked.reference.encode()
        )
        await produce(
            kafka_bootstrap, inbox, absence_notice(planted.reference, 2), planted.reference.encode()
        )

        async def claims_refused() -> bool:
            return (await dead_letters(run))[("unchained-claim", OUTSIDER)] == 2

        await eventually(claims_refused, within=60)
        for plan, epoch in ((attacked, 7), (planted, 2)):
            record = await wmp.record(plan.reference)
            assert record is not None
            assert (record.owner, record.epoch) == ("GMP", 1), plan.reference
            [conflict] = record.conflicts
            assert (conflict.kind, conflict.epoch, conflict.held_owner, conflict.claimed_owner) == (
                ConflictKind.CLAIM,
                epoch,
                "GMP",
                OUTSIDER,
            )
            assert [t.owner for t in record.transfers] == ["GMP"]
            assert record.absences == []

        await pilot.run_until_converged(within=120)

        for plan in (attacked, planted):
            for force in ("GMP", "WMP"):
                record = await run.desks[force].record(plan.reference)
                assert record is not None
                assert (record.owner, record.epoch) == ("WMP", 2), (force, plan.reference)
            wmps = await wmp.record(plan.reference)
            assert wmps is not None
            assert [c.claimed_owner for c in wmps.conflicts] == [OUTSIDER]  # kept for coordinators
        assert await dead_letters(run) == Counter(
            {("cannot-establish-view", OUTSIDER): 1, ("unchained-claim", OUTSIDER): 2}
        )
        assert await run.count("GMP", "select count(*) from dead_letters") == 0
        assert await run.audit_intact("WMP")
