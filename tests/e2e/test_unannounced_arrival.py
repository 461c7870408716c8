"""An offender registers at WMP, which was never told: WMP asks GMP, the owner, for a transfer.

Two real node processes over the real broker and databases: the request reaches GMP and waits
on its record; GMP answers by starting the transfer (with its review), which WMP accepts; a
request about an offender GMP holds no record of is declined, and WMP takes the answer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ownership.domain import commands as c
from ownership.domain.places import Address
from ownership.domain.requests import ArrivalRegistration, RequestState
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tooling import playbook
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e


def _ask(reference: str, request_id: str) -> c.RequestTransfer:
    identity = playbook.profile(0).identity
    assert identity is not None
    registration = ArrivalRegistration(
        date.today(), Address(("4 Arrival Road",), "Birmingham", "B1 1AA"), identity
    )
    return c.RequestTransfer(
        reference=reference, by="coordinator", at=datetime.now(UTC),
        request_id=request_id, owner="GMP", registration=registration,
    )  # fmt: skip


async def _requests_at_gmp(run: Running, reference: str) -> list[RequestState]:
    record = await run.desks["GMP"].record(reference)
    return [] if record is None else [r.state for r in record.requests]


async def test_an_unannounced_arrival_is_answered_by_a_transfer_that_is_accepted(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    [plan] = plans("GMP", "WMP", 1)
    async with running(federation, ["GMP", "WMP"]) as run:
        gmp, wmp = run.desks["GMP"], run.desks["WMP"]
        await gmp.run(playbook.register(plan.reference, datetime.now(UTC), plan.n))
        request_id = str(uuid.uuid4())
        await wmp.run([_ask(plan.reference, request_id)])
        assert await wmp.record(plan.reference) is None  # asking opens no view

        async def pending_at_gmp() -> bool:
            return await _requests_at_gmp(run, plan.reference) == [RequestState.PENDING]

        await eventually(pending_at_gmp, within=60)

        at = datetime.now(UTC)
        details = playbook.move("GMP", at.date(), n=plan.n)
        steps = playbook.review_and_notify(
            plan.reference, plan.transfer_id, "WMP", details, playbook.profile(plan.n), at
        )
        await gmp.run(steps)
        owner_view = await gmp.record(plan.reference)
        assert owner_view is not None
        [request] = owner_view.requests
        assert (request.state, request.transfer_id) == (RequestState.ANSWERED, plan.transfer_id)

        await Autopilot(run.desks, [plan]).run_until_converged(within=120)
        for force in ("GMP", "WMP"):
            record = await run.desks[force].record(plan.reference)
            assert record is not None
            assert (record.owner, record.epoch) == ("WMP", 2)
            assert await run.count(force, "select count(*) from dead_letters") == 0
            assert await run.audit_intact(force)


async def test_a_request_about_an_offender_the_force_asked_does_not_hold_is_declined(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    async with running(federation, ["GMP", "WMP"]) as run:
        reference = "WMP-2026-777777"
        await run.desks["WMP"].run([_ask(reference, str(uuid.uuid4()))])

        async def answered() -> bool:
            return await run.count("WMP", "select count(*) from inbox where sender = 'GMP'") == 1

        await eventually(answered, within=60)
        declined = "select count(*) from outbox where message_type = 'request.declined'"
        assert await run.count("GMP", declined) == 1
        for force in ("GMP", "WMP"):
            assert await run.count(force, "select count(*) from dead_letters") == 0
            assert await run.desks[force].record(reference) is None
