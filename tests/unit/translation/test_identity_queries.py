"""`ownership.query` and `ownership.status` 1.1: asking by identity over the real wire, and
what a force that reads only 1.0 is sent."""

from __future__ import annotations

import pytest

from ownership.domain.commands import ReceiveOwnershipQuery, ReceiveOwnershipStatus
from ownership.domain.events import OwnershipQueried, OwnershipStatusReported
from ownership.domain.held_views import HeldView
from ownership.domain.identity_lookup import IdentityKey, IdentityView
from ownership.domain.reconciliation import query_id, status_id
from producers.translation.reconciliation_bodies import query_body, status_body
from schemas.errors import VersionNotExpressibleError
from schemas.models.ownership import IdentityAsked, OwnershipQuery
from schemas.outgoing import build_body
from schemas.version import Version

from .samples import REF, T0
from .wire import carry, schema_set

PNC = "98/123456B"
ASKED = (IdentityKey(PNC, "VN-0042137"), IdentityKey(visor_reference="VN-0000001"))
LOCAL = "WMP-2026-000311"
QUERY_ID = query_id("WMP", "GMP", T0, 0)


def _queried(identities: tuple[IdentityKey, ...] = ASKED) -> OwnershipQueried:
    return OwnershipQueried(
        force="WMP",
        at=T0,
        recipient="GMP",
        message_id=QUERY_ID,
        offenders=(LOCAL,),
        identities=identities,
    )


def _reported() -> OwnershipStatusReported:
    return OwnershipStatusReported(
        force="GMP",
        at=T0,
        recipient="WMP",
        message_id=status_id("GMP", QUERY_ID),
        causation_id=QUERY_ID,
        views=(HeldView(LOCAL, known=False),),
        identities=(IdentityView(ASKED[0], REF, "GMP", 3), IdentityView(ASKED[1])),
    )


def test_an_identity_query_arrives_as_the_identities_asked() -> None:
    carried = carry(None, _queried())
    assert str(carried.received.version) == "1.1"
    assert isinstance(carried.command, ReceiveOwnershipQuery)
    assert carried.command.offenders == (LOCAL,)
    assert carried.command.identities == ASKED


def test_an_identity_answer_arrives_as_the_record_held_or_none() -> None:
    carried = carry(None, _reported())
    assert isinstance(carried.command, ReceiveOwnershipStatus)
    assert carried.command.identities == _reported().identities
    assert carried.outbox.body["identities"][1] == {"visor_reference": "VN-0000001", "held": False}


def test_a_query_by_reference_alone_is_written_as_1_0_reads_it() -> None:
    body = query_body(_queried(()))
    assert build_body(body, Version(1, 0), schema_set()) == {"offenders": [LOCAL]}


def test_an_answer_without_identities_is_written_as_1_0_reads_it() -> None:
    reported = _reported()
    body = status_body(OwnershipStatusReported(**{**vars(reported), "identities": ()}))
    assert build_body(body, Version(1, 0), schema_set()) == {
        "records": [{"offender": LOCAL, "known": False}]
    }


def test_an_identity_query_cannot_be_sent_in_1_0_rather_than_lose_its_identities() -> None:
    with pytest.raises(VersionNotExpressibleError):
        build_body(query_body(_queried()), Version(1, 0), schema_set())


def test_a_1_0_query_reads_as_asking_no_identity() -> None:
    assert OwnershipQuery.model_validate({"offenders": [LOCAL]}).identities is None


def test_an_identifier_of_the_wrong_shape_is_refused_by_the_model() -> None:
    with pytest.raises(ValueError, match="pattern"):
        IdentityAsked(pnc_id="not a pnc")
