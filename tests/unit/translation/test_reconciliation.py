"""Reconciliation in memory over the real wire: query, status, and the conflicts raised."""

from __future__ import annotations

from datetime import timedelta

from ownership.domain import commands as c
from ownership.domain.held_views import HeldView, Position
from ownership.domain.history import ChangeKind, ConflictKind, OwnershipChange
from ownership.domain.reconciliation import compare, held_view, shared_offenders
from ownership.domain.record_core import RecordStatus

from .federation import Federation
from .samples import REF, REGISTRATION, TID, TID2, contact, owner_record
from .test_scenarios import TID3, acknowledge_and_consult, hand_over, notify, owners, register

TID4 = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"


async def handed_over() -> Federation:
    """GMP handed the offender over to WMP, which owns epoch 2 in both views."""
    fed = Federation("GMP", "WMP", "MPS")
    await register(fed, "GMP")
    await notify(fed, "GMP", "WMP", TID)
    await acknowledge_and_consult(fed, "WMP", TID)
    await fed.act(
        "WMP", c.AcceptOwnership, transfer_id=TID, registration=REGISTRATION,
        contact=contact("WMP"),
    )  # fmt: skip
    await fed.deliver()
    await fed.act("GMP", c.CommitTransfer, transfer_id=TID, records_sent=True)
    await fed.deliver()
    return fed


def corrupt(fed: Federation, force: str, owner: str, epoch: int) -> None:
    """Rewrite ``force``'s stored view so it names ``owner`` at ``epoch``."""
    record = fed[force].uow.store[REF]
    change = OwnershipChange(epoch, owner, record.owner, fed.tick(), ChangeKind.OBSERVED)
    record.owner, record.epoch = owner, epoch
    record.history.append(change)


async def reconcile(fed: Federation, force: str) -> list[str]:
    await fed[force].bus.handle(c.Reconcile(at=fed.tick(), by="coordinator"))
    return [carried.received.message_type for carried in await fed.deliver()]


async def test_views_that_agree_raise_nothing() -> None:
    fed = await handed_over()
    assert await reconcile(fed, "GMP") == ["ownership.query", "ownership.status"]
    assert await reconcile(fed, "WMP") == ["ownership.query", "ownership.status"]
    assert fed["GMP"].record.conflicts == fed["WMP"].record.conflicts == []


async def test_two_owners_are_raised_on_both_sides_and_only_once() -> None:
    fed = await handed_over()
    corrupt(fed, "GMP", "GMP", 2)
    await reconcile(fed, "GMP")
    await reconcile(fed, "WMP")
    await reconcile(fed, "GMP")
    for force, other in (("GMP", "WMP"), ("WMP", "GMP")):
        record = fed[force].record
        assert [(k.kind, k.epoch, k.held_owner, k.claimed_owner, k.claimed_by)
                for k in record.conflicts] == [
            (ConflictKind.TWO_OWNERS, 2, force, other, other)
        ]  # fmt: skip
        assert record.status is RecordStatus.IN_CONFLICT
    assert fed["GMP"].dead_letters == fed["WMP"].dead_letters == []


async def test_a_departure_with_no_arrival_is_raised_by_the_force_that_handed_over() -> None:
    fed = await handed_over()
    stored = fed["WMP"].uow.store[REF]
    stored.owner, stored.epoch = "GMP", 1  # as if ownership.transferred never arrived
    await reconcile(fed, "GMP")
    await reconcile(fed, "WMP")
    kinds = {force: [k.kind for k in fed[force].record.conflicts] for force in ("GMP", "WMP")}
    assert kinds == {
        "GMP": [ConflictKind.DEPARTURE_WITHOUT_ARRIVAL],
        "WMP": [ConflictKind.DEPARTURE_WITHOUT_ARRIVAL],
    }


async def test_a_force_that_shares_nothing_is_not_asked_and_learns_nothing() -> None:
    fed = await handed_over()
    assert shared_offenders([fed["GMP"].record]) == {"WMP": [REF]}
    assert held_view(fed["GMP"].record, REF, "MPS") == HeldView(REF, known=False)
    await fed["MPS"].bus.handle(c.Reconcile(at=fed.tick(), by="coordinator"))
    assert await fed.deliver() == []


def test_compare_names_each_disagreement() -> None:
    record = owner_record("GMP")
    record.transfers = []
    record.history.append(
        OwnershipChange(2, "WMP", "GMP", record.history[0].changed_at, ChangeKind.TRANSFERRED, TID)
    )
    record.owner, record.epoch = "WMP", 2
    assert compare(record, "WMP", HeldView(REF, True, "WMP", 2, Position.OWNED)) is None
    assert compare(record, "WMP", HeldView(REF, False)).kind is (  # type: ignore[union-attr]
        ConflictKind.DEPARTURE_WITHOUT_ARRIVAL
    )
    no_owner = compare(record, "WMP", HeldView(REF, True, "GMP", 2, Position.TRANSFERRED_AWAY))
    assert no_owner is not None
    assert no_owner.kind is ConflictKind.NO_OWNER
    # a view that merely lags behind moves between other forces is not a disagreement
    assert compare(record, "WMP", HeldView(REF, True, "MPS", 1, Position.TRANSFERRED_AWAY)) is None


def test_records_that_moved_recently_wait_for_the_next_run() -> None:
    record = owner_record("GMP")
    record.history.append(
        OwnershipChange(2, "WMP", "GMP", record.history[0].changed_at, ChangeKind.TRANSFERRED, TID)
    )
    moved = record.history[-1].changed_at
    assert shared_offenders([record], settled_before=moved - timedelta(seconds=1)) == {}
    assert shared_offenders([record], settled_before=moved) == {"WMP": [REF]}


async def test_a_lagging_view_learns_the_chain_from_its_known_owner() -> None:
    """GMP handed over to WMP, WMP to MPS. GMP knows only WMP, so MPS's notification is a
    claim from outside the chain it knows: refused and raised. WMP's answer to GMP's query
    moves GMP's view on to MPS, and MPS's next notification is taken."""
    fed = await handed_over()
    await notify(fed, "WMP", "MPS", TID2)
    await hand_over(fed, "WMP", "MPS", TID2)
    assert owners(fed, "WMP", "MPS") == {("MPS", 3)}

    await notify(fed, "MPS", "GMP", TID3)
    assert fed["GMP"].dead_letters == [("transfer.notified", "unchained_claim")]
    assert owners(fed, "GMP") == {("WMP", 2)}
    [conflict] = fed["GMP"].record.conflicts
    assert (conflict.claimed_owner, conflict.epoch) == ("MPS", 3)

    await reconcile(fed, "GMP")
    assert owners(fed, "GMP") == {("MPS", 3)}
    assert fed["GMP"].record.history[-1].kind is ChangeKind.OBSERVED

    await fed.act("MPS", c.CancelTransfer, transfer_id=TID3, reason="notified again")
    await fed.deliver()
    await notify(fed, "MPS", "GMP", TID4)
    await hand_over(fed, "MPS", "GMP", TID4)
    assert owners(fed, "GMP", "MPS") == {("GMP", 4)}
