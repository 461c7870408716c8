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
    next_manual_state,
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
def test_terminal_states_are_the_protocols(state: str) -> None:
    assert is_terminal(TransferState(state)) is (state in protocol.TERMINAL)


@pytest.mark.parametrize("state", protocol.STATES)
def test_every_step_by_hand_leads_where_the_protocol_says(state: str) -> None:
    table = protocol.MANUAL_OWNER_TAKES
    expected = {step: table.get(state, {}).get(step) for step in protocol.STEPS}
    actual = {step: next_manual_state(TransferState(state), Step(step)) for step in protocol.STEPS}
    assert actual == {
        step: None if target is None else TransferState(target) for step, target in expected.items()
    }


@pytest.mark.parametrize(("side", "sent", "table"), TABLES, ids=TABLE_IDS)
@pytest.mark.parametrize("step", ["handover.told", "handover.acknowledged", "handover.accepted"])
def test_no_step_by_hand_moves_a_transfer_between_nodes(
    side: Side, sent: bool, table: protocol.Table, step: str
) -> None:
    assert all(
        next_state(side, TransferState(s), Step(step), sent=sent) is None for s in protocol.STATES
    )
