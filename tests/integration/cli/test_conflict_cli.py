"""`interforce conflict propose|confirm|reject` against two real force databases.

GMP and WMP each register the offender (both hold that they own epoch 1) and each record
holds the two-owner conflict. What one force's outbox holds is carried to the other through
the real wire and applied as its node would (``carry``).
"""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from typer.testing import CliRunner

from interforce.cli import build_app
from interforce.database import ensure_database, force_database_name
from ownership.adapters.record_codec import dump_record, load_record
from ownership.domain.history import Conflict, ConflictKind
from ownership.domain.record_core import RecordStatus
from tests.integration.cli.test_casework_cli import carry, cli, namespace, query

pytestmark = pytest.mark.integration
__all__ = ["namespace"]  # the fixture: two forces' databases in a namespace of their own


def in_conflict(namespace: str, postgres_url: str, reference: str) -> None:
    """Both forces register ``reference``; each record then holds the two-owner conflict."""
    for force, other in (("GMP", "WMP"), ("WMP", "GMP")):
        cli("record", "register", reference, "--category", "rso", "--family-name", "Example",
            "--given-names", "Alan James", "--born", "1979-03-14", force=force)  # fmt: skip

        async def corrupt(force: str = force, other: str = other) -> None:
            url = await ensure_database(postgres_url, force_database_name(force, namespace))
            connection = await asyncpg.connect(url)
            try:
                state = await connection.fetchval(
                    "select state from offender_records where reference = $1", reference
                )
                record = load_record(state)
                record.conflicts.append(
                    Conflict(1, force, other, other, str(uuid.uuid4()),
                             record.history[0].changed_at, ConflictKind.TWO_OWNERS)
                )  # fmt: skip
                record.status = RecordStatus.IN_CONFLICT
                await connection.execute(
                    "update offender_records set status = $2, state = $3::jsonb"
                    " where reference = $1",
                    reference, str(record.status), dump_record(record),
                )  # fmt: skip
            finally:
                await connection.close()

        asyncio.run(corrupt())


def shown(reference: str, force: str) -> tuple[str, int, str]:
    record = cli("record", "show", reference, "--reason", "conflict check", force=force)
    return record["owner"], record["epoch"], record["status"]


@pytest.mark.parametrize("step", ["propose", "confirm", "reject"])
def test_each_step_has_help(step: str) -> None:
    result = CliRunner().invoke(build_app(), ["conflict", step, "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output
    assert "--reason" in result.output


def test_a_conflict_proposed_at_one_force_and_confirmed_at_the_other(
    namespace: str, postgres_url: str
) -> None:
    ref = "GMP-2026-000301"
    in_conflict(namespace, postgres_url, ref)
    proposed = cli("conflict", "propose", ref, "--with", "WMP", "--owner", "WMP",
                   "--reason", "WMP holds the registration")  # fmt: skip
    assert (proposed["owner"], proposed["epoch"]) == ("WMP", 2)
    assert proposed["messages"] == [{"to": "WMP", "event": "ResolutionProposed"}]
    assert shown(ref, "GMP") == ("GMP", 1, "in_conflict")
    assert carry(namespace, postgres_url, "GMP", "WMP") == ["resolution.proposed"]
    assert shown(ref, "WMP") == ("WMP", 1, "in_conflict")

    refused = cli("conflict", "confirm", ref, proposed["proposal_id"], "--reason", "mine",
                  force="GMP", code=1)  # fmt: skip
    assert "refused: unknown_resolution" in refused
    confirmed = cli("conflict", "confirm", ref, proposed["proposal_id"],
                    "--reason", "agreed on the telephone", force="WMP")  # fmt: skip
    assert (confirmed["owner"], confirmed["epoch"]) == ("WMP", 2)
    assert confirmed["messages"] == [{"to": "GMP", "event": "ResolutionConfirmed"}]
    assert shown(ref, "WMP") == ("WMP", 2, "owned")
    assert carry(namespace, postgres_url, "WMP", "GMP") == ["resolution.confirmed"]
    assert shown(ref, "GMP") == ("WMP", 2, "owned_elsewhere")

    audited = query(namespace, postgres_url, "WMP",
                    "select actor, reason from audit_log where action = 'record.changed'"
                    " order by seq desc limit 1")  # fmt: skip
    assert (audited[0]["actor"], audited[0]["reason"]) == ("dc.shah", "agreed on the telephone")


def test_a_rejected_proposal_leaves_the_conflict_and_refusals_say_why(
    namespace: str, postgres_url: str
) -> None:
    ref = "GMP-2026-000302"
    in_conflict(namespace, postgres_url, ref)
    low = cli("conflict", "propose", ref, "--with", "WMP", "--owner", "GMP", "--epoch", "1",
              "--reason", "ours", code=1)  # fmt: skip
    assert "refused: resolution_epoch_too_low" in low
    outsider = cli("conflict", "propose", ref, "--with", "SWP", "--owner", "GMP",
                   "--reason", "ours", code=1)  # fmt: skip
    assert "refused: no_conflict" in outsider
    bad_id = cli("conflict", "propose", ref, "--with", "WMP", "--owner", "GMP", "--id", "one",
                 "--reason", "ours", code=2)  # fmt: skip
    assert "UUID" in bad_id
    proposed = cli("conflict", "propose", ref, "--with", "WMP", "--owner", "GMP",
                   "--reason", "GMP manages the offender")  # fmt: skip
    carry(namespace, postgres_url, "GMP", "WMP")
    rejected = cli("conflict", "reject", ref, proposed["proposal_id"],
                   "--reason", "the offender registered with us", force="WMP")  # fmt: skip
    assert rejected["messages"] == [{"to": "GMP", "event": "ResolutionRejected"}]
    assert carry(namespace, postgres_url, "WMP", "GMP") == ["resolution.rejected"]
    for force in ("GMP", "WMP"):
        assert shown(ref, force) == (force, 1, "in_conflict")
    again = cli("conflict", "propose", ref, "--with", "WMP", "--owner", "WMP", "--epoch", "7",
                "--reason", "WMP, then")  # fmt: skip
    assert again["epoch"] == 7
