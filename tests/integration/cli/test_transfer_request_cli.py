"""`interforce transfer request` and `decline-request` against real force databases.

WMP, where the offender registered unannounced, asks GMP; the request is carried through the
real wire to GMP, which lists it in `pending` and declines it; the refusal goes back.
"""

from __future__ import annotations

import pytest

from tests.integration.cli.test_casework_cli import carry, cli, namespace, query

pytestmark = pytest.mark.integration
__all__ = ["namespace"]  # the fixture, shared with the casework CLI tests

ASK = [
    "--owner", "GMP", "--family-name", "Example", "--given-names", "Alan James",
    "--born", "1979-03-14", "--registered-on", "2026-07-02", "--address", "4 Arrival Road",
    "--town", "Birmingham", "--postcode", "B1 1AA", "--pnc", "98/123456g",
    "--visor", "vn-0042137",
]  # fmt: skip


def test_a_request_is_sent_listed_at_the_owner_and_declined(
    namespace: str, postgres_url: str
) -> None:
    ref = "GMP-2026-000301"
    cli("record", "register", ref, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan James", "--born", "1979-03-14", "--pnc", "98/123456G")  # fmt: skip
    asked = cli("transfer", "request", ref, *ASK, force="WMP")
    assert asked["requested_of"] == "GMP"
    request_id = asked["request_id"]
    sent = query(namespace, postgres_url, "WMP", "select message_type, epoch from outbox")
    assert [(r["message_type"], r["epoch"]) for r in sent] == [("transfer.requested", None)]
    assert carry(namespace, postgres_url, "WMP", "GMP") == ["transfer.requested"]

    pending = cli("pending")
    assert [(p["reference"], p["transfer_id"], p["waiting_for"], p["party"]) for p in pending] == [
        (ref, request_id, "answer", "GMP")
    ]
    declined = cli("transfer", "decline-request", ref, request_id, "--code", "not_moving",
                   "--text", "the offender still lives here")  # fmt: skip
    assert declined["messages"] == [{"to": "WMP", "event": "TransferRequestDeclined"}]
    assert cli("pending") == []
    assert carry(namespace, postgres_url, "GMP", "WMP") == ["request.declined"]
    again = cli("transfer", "decline-request", ref, request_id, "--code", "other",
                "--text", "again", code=1)  # fmt: skip
    assert "request_not_pending" in again


def test_a_force_that_owns_the_record_cannot_ask_for_it(namespace: str) -> None:
    ref = "WMP-2026-000302"
    cli("record", "register", ref, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan James", "--born", "1979-03-14", force="WMP")  # fmt: skip
    refused = cli("transfer", "request", ref, *ASK, force="WMP", code=1)
    assert "request_not_needed" in refused
