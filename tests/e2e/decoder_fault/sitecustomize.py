"""Fault injection for `tests/e2e/test_poison_records.py`, loaded by Python at start-up in a
node process whose `PYTHONPATH` names this folder (and in no other process).

Every cause of an unexpected exception in decoding that the tests found is fixed, so to see
that one more would still be that record's dead letter, this makes the node's registry
raise `LookupError` on any record holding `MARKER`, as a bug of ours would.
"""

from __future__ import annotations

from schemas.registry import ReceivedMessage, Registry

MARKER = b"inject-a-decoder-fault"
_receive = Registry.receive


def _receive_or_fail(self: Registry, raw: bytes) -> ReceivedMessage:
    if MARKER in raw:
        raise LookupError("injected decoder fault")
    return _receive(self, raw)


Registry.receive = _receive_or_fail  # type: ignore[method-assign]
