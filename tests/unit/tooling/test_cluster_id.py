"""The local broker's KRaft cluster id never reads as a command-line option."""

from __future__ import annotations

import base64
import uuid

import pytest

from tooling.services.kafka import new_cluster_id


def test_a_cluster_id_is_sixteen_random_bytes_in_base64url() -> None:
    cluster_id = new_cluster_id()
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16
    assert new_cluster_id() != cluster_id


def test_an_id_that_would_start_with_a_dash_is_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dash_first = uuid.UUID(bytes=b"\xfb" + bytes(15))  # base64url of 0xfb... starts with "-"
    plain = uuid.UUID(bytes=bytes(16))
    draws = iter([dash_first, plain])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(draws))
    assert base64.urlsafe_b64encode(dash_first.bytes).decode().startswith("-")
    assert new_cluster_id() == "AAAAAAAAAAAAAAAAAAAAAA"
