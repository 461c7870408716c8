"""Genuine messages with values at the edges of their schemas decode and apply, or are refused.

A message that passes the registry reaches the domain: a date of 9999-12-31, an empty string
where one is allowed, a list at its longest. Applying it at a force that holds no record, and
again once it holds the record a notification made, may refuse it (a `DomainError`, dead-
lettered with its reason) but never raise anything else: that would be `internal-error`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consumers.decoding import InboxDecoder
from consumers.records import InboxRecord
from consumers.refusal import Refused
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import DomainError
from ownership.service_layer.messagebus import message_bus
from schemas.models import MODELS
from schemas.registry import Registry
from tests.corpus.generate import signed, unsigned
from tests.support.hostile_json import to_json, with_extreme_leaf
from tooling.memory import FakeUnitOfWork

from .wire import directory, schema_set

NOW = datetime(2025, 6, 15, 12, tzinfo=UTC)
ENVELOPES = [
    signed(unsigned(name, str(version)))
    for name, versions in MODELS.items()
    for version in versions
]
NOTIFIED = [envelope for envelope in ENVELOPES if envelope["type"].endswith("transfer.notified")]


def decoder() -> InboxDecoder:
    return InboxDecoder(
        lambda found: Registry(found, force="WMP", schemas=schema_set(), clock=lambda: NOW),
        directory,
        clock=lambda: NOW,
    )


async def apply_all(raws: list[bytes]) -> None:
    """Decode and apply each message in turn at one WMP node; refusals are fine."""
    uow = FakeUnitOfWork("WMP")
    bus = message_bus(uow)
    for raw in raws:
        try:
            accepted = decoder()(InboxRecord("interforce.wmp.inbox", 0, 0, None, raw))
        except Refused:
            continue
        try:
            await bus.handle(accepted.message)
        except DomainError:
            continue
    for record in uow.store.values():  # and the records they left are chased safely
        record.needs_chasing(date.max, ServiceLevels())
        record.pending(date.max)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=st.sampled_from(NOTIFIED), then=st.sampled_from(ENVELOPES), data=st.data())
async def test_extreme_values_apply_or_are_refused(
    first: dict[str, Any], then: dict[str, Any], data: st.DataObject
) -> None:
    notified = data.draw(with_extreme_leaf(first))
    following = data.draw(with_extreme_leaf(then))
    await apply_all([to_json(signed(notified)).encode(), to_json(signed(following)).encode()])
