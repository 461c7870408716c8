"""WMP asks GMP by identity who owns an offender, over the real broker, and GMP answers.

Two real node processes: WMP's outbox carries an `ownership.query` 1.1 naming a PNC ID and a
ViSOR reference; GMP's node finds its record by them and answers with `ownership.status` 1.1
naming the reference, owner and epoch, which WMP takes without a dead letter. An identity GMP
holds no record of is answered `held: false`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.domain import commands as c
from ownership.domain.identifiers import pnc_check_letter
from ownership.domain.identity_lookup import IdentityKey
from ownership.domain.owner_search import OwnerSearch, identity_queries
from producers.translation import outgoing_message
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tooling import playbook

pytestmark = pytest.mark.e2e

PNC = "98/123456" + pnc_check_letter("98", "123456")
UNKNOWN_PNC = "98/654321" + pnc_check_letter("98", "654321")
VISOR = "VN-0042137"


async def _ask_gmp(run: Running, identities: tuple[IdentityKey, ...], request_id: str) -> None:
    """What WMP's requesting side will do: write identity queries to its outbox."""
    desk = run.desks["WMP"]
    at = datetime.now(UTC)
    for who in identities:
        search = OwnerSearch(f"{request_id}-{who.pnc_id}", who, frozenset({"GMP"}), at)
        async with desk.pool.acquire() as connection:
            uow = PostgresUnitOfWork(
                connection,
                force="WMP",
                actor="coordinator:WMP",
                translate=outgoing_message,
                signer=desk.signer,
            )
            async with uow:
                for query in identity_queries(search, "WMP", "WMP-2026-000311", at):
                    uow.send(query)
                await uow.commit()


_ANSWER = """
    select count(*) from outbox where message_type = 'ownership.status'
    and (body->'identities'->0->>'offender' = $1 or body->'identities'->0->>'pnc_id' = $1)
    and (body->'identities'->0->>'owner') is not distinct from $2
    and body->'identities'->0->>'held' = $3
"""


async def _answers(run: Running, named: str, owner: str | None, held: str) -> int:
    """GMP's answers (in its outbox) whose first identity names ``named`` as it says."""
    return int(await run.desks["GMP"].pool.fetchval(_ANSWER, named, owner, held))


async def test_a_force_asked_by_identity_names_the_record_it_holds(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    [plan] = plans("GMP", "WMP", 1)
    async with running(federation, ["GMP", "WMP"]) as run:
        profile = playbook.profile(plan.n)
        assert profile.identity is not None
        identity = replace(profile.identity, pnc_id=PNC, visor_reference=VISOR)
        register = c.RegisterOffender(
            reference=plan.reference,
            by="registrar",
            at=datetime.now(UTC),
            profile=replace(profile, identity=identity),
        )
        await run.desks["GMP"].run([register])
        await _ask_gmp(run, (IdentityKey(PNC, VISOR), IdentityKey(UNKNOWN_PNC)), plan.reference)

        async def gmp_answered_both() -> bool:
            return await _answers(run, plan.reference, "GMP", "true") == 1 and (
                await _answers(run, UNKNOWN_PNC, None, "false") == 1
            )

        answers_at_wmp = "select count(*) from inbox where sender = 'GMP'"

        async def wmp_took_both() -> bool:
            return await run.count("WMP", answers_at_wmp) == 2

        await eventually(gmp_answered_both, within=60)
        await eventually(wmp_took_both, within=60)
        assert await run.count("WMP", "select count(*) from dead_letters") == 0
        assert await run.count("GMP", "select count(*) from dead_letters") == 0
        assert await run.desks["WMP"].record(plan.reference) is None  # asking opens no view
