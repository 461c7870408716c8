"""Least disclosure on the wire: what a recipient's profile leaves out never reaches Kafka.

GMP's node names WMP a specialist unit (`INTERFORCE_DISCLOSURE_PROFILES`). The transfers
still complete, and the notifications read back raw from WMP's inbox topic carry none of the
fields that profile withholds, while GMP's audit log records each disclosure with its
recipient, lawful basis and fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from producers.disclosure_profiles import SPECIALIST_UNIT
from schemas.topics import inbox_topic
from tests.support.federation import new_federation, plans, running
from tests.support.wire import read_topic
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e

WITHHELD_NAMES = (b'"email"', b'"pnc_id"', b'"notes"', b'"assessment_tool"')


async def test_fields_outside_the_profile_never_appear_on_the_wire(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    federation.force_env = lambda force: (
        {"INTERFORCE_DISCLOSURE_PROFILES": '{"WMP": "specialist_unit"}'} if force == "GMP" else {}
    )
    planned = plans("GMP", "WMP", 4)
    async with running(federation, ["GMP", "WMP"]) as run:
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()
        await pilot.run_until_converged(within=120)
        assert await run.count("WMP", "select count(*) from dead_letters") == 0

        inbox = inbox_topic("WMP", federation.namespace)
        records = await read_topic(kafka_bootstrap, inbox, 2 * len(planned))
        notified = [
            r.value for r in records if b'"uk.police.interforce.transfer.notified"' in r.value
        ]
        assert len(notified) == len(planned)
        for raw in notified:
            for name in WITHHELD_NAMES:
                assert name not in raw
            assert b"ppu@gmp.example" not in raw  # the owning force's contact e-mail
            data = json.loads(raw)["data"]
            assert set(data["contacts"][0]) == {"name", "role", "organisation", "phone"}
            assert "method" in data["review"]  # required by the schema: always sent

        sent = await run.desks["GMP"].pool.fetch(
            "select disclosed_to, detail from audit_log where action = 'message.sent'"
            " and reason = 'transfer.notified'"
        )
        assert len(sent) == len(planned)
        for row in sent:
            detail = json.loads(row["detail"])
            assert row["disclosed_to"] == "WMP"
            assert detail["disclosure_profile"] == "specialist_unit"
            assert detail["lawful_basis"] == SPECIALIST_UNIT.lawful_basis
            assert "contacts[].email" in detail["fields_withheld"]
            assert "contacts[].phone" in detail["fields_disclosed"]
