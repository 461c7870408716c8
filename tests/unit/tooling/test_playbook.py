"""The playbook's steps carry a transfer through the real wire to committed ownership."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from ownership.domain.commands import Command
from ownership.domain.record_core import RecordStatus
from ownership.domain.states import TransferState
from tests.unit.translation.federation import Federation
from tooling import playbook

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def run(fed: Federation, force: str, commands: list[Command]) -> None:
    for command in commands:
        await fed[force].bus.handle(command)
    await fed.deliver()


@pytest.mark.parametrize("n", range(6))
async def test_each_sample_offender_is_handed_over(n: int) -> None:
    reference, tid = "GMP-2019-004512", str(uuid.uuid4())
    fed = Federation("GMP", "WMP")
    await run(fed, "GMP", playbook.register(reference, AT, n))
    offender = fed["GMP"].record.profile
    details = playbook.move("GMP", AT.date(), n=n)
    await run(fed, "GMP", playbook.review_and_notify(reference, tid, "WMP", details, offender, AT))
    assert fed["WMP"].record.transfer(tid).state is TransferState.NOTIFIED
    mappa = offender.is_mappa_case
    await run(fed, "WMP", playbook.acknowledge_and_consult(reference, tid, "WMP", AT, mappa=mappa))
    await run(fed, "WMP", playbook.accept(reference, tid, "WMP", AT))
    assert fed["GMP"].record.transfer(tid).state is TransferState.ACCEPTED
    await run(fed, "GMP", playbook.commit(reference, tid, AT))

    for force in ("GMP", "WMP"):
        assert (fed[force].record.owner, fed[force].record.epoch) == ("WMP", 2)
    assert fed["WMP"].record.status is RecordStatus.OWNED
    assert [letter for node in fed.nodes.values() for letter in node.dead_letters] == []
