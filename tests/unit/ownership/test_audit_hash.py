"""A row's chain hash is over RFC 8785 bytes, whichever way they are written: rows hashed by
the RFC 8785 library before the fast path still verify, and any content hashes the same."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from ownership.adapters.audit_log import GENESIS_HASH, AuditEntry, entry_hash

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | st.text(max_size=16),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@given(
    detail=st.dictionaries(st.text(max_size=10), values, max_size=5),
    reason=st.none() | st.text(max_size=20),
    seq=st.integers(1, 2**40),
)
def test_the_hash_is_the_rfc_8785_librarys(
    detail: dict[str, Any], reason: str | None, seq: int
) -> None:
    at = datetime(2026, 11, 25, 10, 0, 0, 123456, tzinfo=UTC)
    entry = AuditEntry(
        actor="node:WMP", action="message.received", at=at, reason=reason, detail=detail
    )
    content: dict[str, Any] = {
        "seq": seq,
        "at": "2026-11-25T10:00:00.123456+00:00",
        "actor": "node:WMP",
        "action": "message.received",
        "subject": None,
        "reason": reason,
        "disclosed_to": None,
        "detail": detail,
    }
    expected = hashlib.sha256(GENESIS_HASH + rfc8785.dumps(content)).digest()
    assert entry_hash(GENESIS_HASH, seq, entry) == expected
