"""A dead letter always fits on its topic and in its row, however long or strange the record."""

from __future__ import annotations

from consumers.dead_letters import TOPIC_KEY_LIMIT, TOPIC_VALUE_LIMIT, DeadLetter
from consumers.records import InboxRecord
from consumers.refusal import Refused, internal_error
from schemas.safe_text import DETAIL_LIMIT


def letter(value: bytes, key: bytes | None = b"GMP-2026-000001", detail: str = "x") -> DeadLetter:
    return DeadLetter(InboxRecord("interforce.wmp.inbox", 2, 7, key, value), "oversize", detail)


def test_a_record_too_long_for_the_topic_is_cut_there_and_its_length_said() -> None:
    dead = letter(b"a" * (TOPIC_VALUE_LIMIT + 10), key=b"k" * (TOPIC_KEY_LIMIT + 1))
    assert dead.topic_value() == b"a" * TOPIC_VALUE_LIMIT
    assert dead.topic_key() == b"k" * TOPIC_KEY_LIMIT
    headers = dead.headers()
    assert headers["interforce-original-bytes"] == str(TOPIC_VALUE_LIMIT + 10)
    assert headers["interforce-original-key-bytes"] == str(TOPIC_KEY_LIMIT + 1)
    assert dead.record.value == b"a" * (TOPIC_VALUE_LIMIT + 10)  # the row keeps it whole


def test_a_record_that_fits_goes_to_the_topic_as_it_came() -> None:
    dead = letter(b'{"a": 1}', key=None)
    assert (dead.topic_value(), dead.topic_key()) == (b'{"a": 1}', None)
    assert "interforce-original-bytes" not in dead.headers()


def test_a_detail_is_bounded_and_escaped_however_the_letter_is_made() -> None:
    dead = letter(b"{}", detail="GMP\n" + "k" * 60_000)
    assert dead.detail.startswith("GMP\\nkkk")
    assert len(dead.detail) <= DETAIL_LIMIT
    assert dead.headers()["interforce-detail"] == dead.detail
    refused = Refused("body-invalid", "\x1b[31m" + "y" * 60_000)
    assert refused.detail.startswith("\\x1b[31myyy")
    assert len(DeadLetter.of(letter(b"{}").record, refused).detail) <= DETAIL_LIMIT


def test_an_internal_error_names_the_exception_and_keeps_it() -> None:
    fault = KeyError("data")
    refused = internal_error(fault, "decoding")
    assert (refused.reason, refused.detail) == ("internal-error", "KeyError while decoding: 'data'")
    assert DeadLetter.of(letter(b"{}").record, refused).fault is fault
