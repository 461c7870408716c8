"""The production transition tables, entry by entry, against the protocol written out by hand.

Every (state, step) pair on both sides, taken and heard, is checked against
``tests.unit.ownership.protocol``: a pair the protocol refuses must be refused, a legal one
must lead where the protocol says. So adding, removing or redirecting any one production
entry fails here, whatever the record does with it (test_transitions drives the record).
"""

from __future__ import annotations

import pytest

from ownership.domain.states import (
    Side,
    Step,
    TransferState,
    is_terminal,
    may_accept,
    may_send,
    next_state,
)

from . import protocol

TABLES = [
    (Side.OWNER, True, protocol.OWNER_TAKES),
    (Side.OWNER, False, protocol.OWNER_HEARS),
    (Side.RECEIVER, True, protocol.RECEIVER_TAKES),
    (Side.RECEIVER, False, protocol.RECEIVER_HEARS),
]
TABLE_IDS = ["owner-takes", "owner-hears", "receiver-takes", "receiver-hears"]


def test_the_protocol_names_every_state_and_step_the_domain_has() -> None:
    assert tuple(TransferState) == tuple(map(TransferState, protocol.STATES))
    assert tuple(Step) == tuple(map(Step, protocol.STEPS))


@pytest.mark.parametrize(("side", "sent", "table"), TABLES, ids=TABLE_IDS)
@pytest.mark.parametrize("state", protocol.STATES)
def test_every_step_leads_where_the_protocol_says(
    side: Side, sent: bool, table: protocol.Table, state: str
) -> None:
    expected = {step: table.get(state, {}).get(step) for step in protocol.STEPS}
    actual = {
        step: next_state(side, TransferState(state), Step(step), sent=sent)
        for step in protocol.STEPS
    }
    assert actual == {
        step: None if target is None else TransferState(target) for step, target in expected.items()
    }


@pytest.mark.parametrize("state", protocol.STATES)
@pytest.mark.parametrize("side", list(Side))
def test_each_side_may_take_and_hear_what_the_protocol_lists(side: Side, state: str) -> None:
    takes = protocol.OWNER_TAKES if side is Side.OWNER else protocol.RECEIVER_TAKES
    hears = protocol.OWNER_HEARS if side is Side.OWNER else protocol.RECEIVER_HEARS
    assert may_send(side, TransferState(state)) == {Step(s) for s in takes.get(state, {})}
    assert may_accept(side, TransferState(state)) == {Step(s) for s in hears.get(state, {})}


@pytest.mark.parametrize("state", protocol.STATES)
def test_terminal_states_are_the_protocols(state: str) -> None:
    assert is_terminal(TransferState(state)) is (state in protocol.TERMINAL)
