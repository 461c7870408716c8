"""ACLs on the real secure broker: a force reads only its own inbox in its own group and
writes only to other forces' inboxes and its own dead-letter topic. Every attempt goes in the
ledger printed at the end of the run."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError

from interforce.security.acl import consumer_group, force_user
from interforce.settings import Settings
from schemas.directory import load_directory
from schemas.topics import audit_topic, dead_letter_topic, inbox_topic
from tests.integration.security.clients import (
    consume_key,
    create_topic,
    produce,
    visible_topics,
)
from tests.integration.security.conftest import Ledger
from tooling.services.secure_kafka import LocalSecureKafka

pytestmark = pytest.mark.integration

ME, THEM = "WMP", "GMP"

Access = Callable[[Settings], Awaitable[Any]]


def key() -> bytes:
    return f"test-{uuid.uuid4()}".encode()


REFUSED: list[tuple[str, Access, type[Exception]]] = [
    (
        f"consume {inbox_topic(THEM)} in {consumer_group(ME)}",
        lambda s: consume_key(s, inbox_topic(THEM), consumer_group(ME), key(), within=5),
        TopicAuthorizationFailedError,
    ),
    (
        f"produce to {inbox_topic(ME)} (own inbox)",
        lambda s: produce(s, inbox_topic(ME), key()),
        TopicAuthorizationFailedError,
    ),
    (
        f"produce to {dead_letter_topic(THEM)}",
        lambda s: produce(s, dead_letter_topic(THEM), key()),
        TopicAuthorizationFailedError,
    ),
    (
        f"consume {dead_letter_topic(THEM)} in {consumer_group(ME)}",
        lambda s: consume_key(s, dead_letter_topic(THEM), consumer_group(ME), key(), within=5),
        TopicAuthorizationFailedError,
    ),
    (
        f"join {consumer_group(THEM)} on {inbox_topic(ME)}",
        lambda s: consume_key(s, inbox_topic(ME), consumer_group(THEM), key(), within=5),
        GroupAuthorizationFailedError,
    ),
    (
        f"join {consumer_group(ME)}-other on {inbox_topic(ME)}",
        lambda s: consume_key(s, inbox_topic(ME), f"{consumer_group(ME)}-other", key(), within=5),
        GroupAuthorizationFailedError,
    ),
    (
        "create topic interforce.wmp.extra",
        lambda s: create_topic(s, "interforce.wmp.extra"),
        TopicAuthorizationFailedError,
    ),
]


@pytest.mark.parametrize(
    ("action", "access", "error"), REFUSED, ids=[action for action, _, _ in REFUSED]
)
async def test_a_force_is_refused_what_the_plan_does_not_grant(
    secure_broker: LocalSecureKafka,
    ledger: Ledger,
    action: str,
    access: Access,
    error: type[Exception],
) -> None:
    me = force_user(ME)
    raised = await ledger.attempt(me, action, "refused", access(secure_broker.client_settings(me)))
    assert isinstance(raised, error), f"{action}: expected {error.__name__}, got {raised!r}"


async def test_a_message_crosses_from_one_force_to_anothers_inbox(
    secure_broker: LocalSecureKafka, ledger: Ledger
) -> None:
    sender = secure_broker.client_settings(force_user(ME))
    receiver = secure_broker.client_settings(force_user(THEM))
    sent_key = key()

    sent = await ledger.attempt(
        force_user(ME), f"produce to {inbox_topic(THEM)}", "allowed",
        produce(sender, inbox_topic(THEM), sent_key),
    )  # fmt: skip
    assert sent is None, repr(sent)
    received = await ledger.attempt(
        force_user(THEM), f"consume {inbox_topic(THEM)} in {consumer_group(THEM)}", "allowed",
        consume_key(receiver, inbox_topic(THEM), consumer_group(THEM), sent_key),
    )  # fmt: skip
    assert received is None, repr(received)


async def test_a_force_writes_its_own_dead_letters(
    secure_broker: LocalSecureKafka, ledger: Ledger
) -> None:
    me = force_user(ME)
    error = await ledger.attempt(
        me, f"produce to {dead_letter_topic(ME)}", "allowed",
        produce(secure_broker.client_settings(me), dead_letter_topic(ME), key()),
    )  # fmt: skip
    assert error is None, repr(error)


async def test_a_force_sees_the_metadata_of_exactly_the_topics_it_may_use(
    secure_broker: LocalSecureKafka, ledger: Ledger
) -> None:
    me = force_user(ME)
    seen: set[str] = set()

    async def list_them() -> None:
        seen.update(await visible_topics(secure_broker.client_settings(me)))

    error = await ledger.attempt(me, "list topics", "allowed", list_them())

    assert error is None, repr(error)
    every_inbox = {inbox_topic(force.code) for force in load_directory().forces}
    assert seen == every_inbox | {dead_letter_topic(ME), audit_topic(ME)}
    assert dead_letter_topic(THEM) not in seen
    assert audit_topic(THEM) not in seen
