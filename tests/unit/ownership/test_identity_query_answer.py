"""A force asked by identity answers with the reference, owner and epoch it holds, or none."""

from __future__ import annotations

from dataclasses import replace

from ownership.domain import commands as c
from ownership.domain.events import OwnershipStatusReported
from ownership.domain.identity_lookup import IdentityKey, IdentityView
from ownership.service_layer.messagebus import message_bus
from tooling.memory import FakeUnitOfWork

from .builders import REF, RSO, T0
from .test_identity_lookup import IDENTITY, OTHER_PNC, PNC


async def _answer(identities: tuple[IdentityKey, ...]) -> OwnershipStatusReported:
    uow = FakeUnitOfWork("GMP")
    bus = message_bus(uow)
    profile = replace(RSO, identity=IDENTITY)
    await bus.handle(c.RegisterOffender(reference=REF, by="officer", at=T0, profile=profile))
    query = c.ReceiveOwnershipQuery(
        at=T0,
        sender="WMP",
        recipient="GMP",
        message_id="q-1",
        offenders=("WMP-2026-000311",),
        identities=identities,
    )
    await bus.handle(query)
    (answer,) = [m for m in uow.messages if isinstance(m, OwnershipStatusReported)]
    return answer


async def test_an_identity_query_is_answered_with_the_record_held() -> None:
    answer = await _answer((IdentityKey(PNC), IdentityKey(OTHER_PNC)))
    assert answer.recipient == "WMP"
    assert answer.causation_id == "q-1"
    assert answer.identities == (
        IdentityView(IdentityKey(PNC), REF, "GMP", 1),
        IdentityView(IdentityKey(OTHER_PNC)),
    )


async def test_the_references_asked_are_still_answered_by_need_to_know() -> None:
    answer = await _answer((IdentityKey(PNC),))
    assert [(v.reference, v.known) for v in answer.views] == [("WMP-2026-000311", False)]


async def test_a_query_by_reference_alone_answers_no_identity() -> None:
    assert (await _answer(())).identities == ()
