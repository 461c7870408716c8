"""A conflict resolved by its two parties over the real wire: every state and every refusal.

GMP and WMP each hold that they own the record at epoch 1 (``resolution_world``). A
coordinator of one proposes, one of the other confirms or rejects; only a confirmation from
the party asked, naming the pending proposal at its epoch, changes ownership.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from interforce.web.timeline import timeline
from interforce.web.worklist import proposed_resolutions
from ownership.adapters.record_codec import dump_record, load_record
from ownership.domain import commands as c
from ownership.domain.errors import DomainError
from ownership.domain.events import ConflictResolved, ResolutionProposalReceived
from ownership.domain.held_views import HeldView
from ownership.domain.history import ChangeKind, ConflictKind, ResolutionOutcome
from ownership.domain.record_core import RecordStatus
from ownership.domain.states import Step, TransferState

from .federation import signed
from .resolution_world import REFERENCE, ROGUE, START, THIRD, World


@pytest.fixture
def world() -> Iterator[World]:
    built = World()
    yield built
    built.close()


def code(error: DomainError | None) -> str | None:
    return None if error is None else error.code


def outcomes(world: World, force: str) -> list[ResolutionOutcome]:
    return [p.outcome for p in world.record(force).resolutions]


def test_a_proposal_changes_no_ownership_until_it_is_confirmed(world: World) -> None:
    proposal, error = world.propose("GMP", "WMP")
    assert error is None
    world.deliver()
    for force in ("GMP", "WMP"):
        assert world.view(force) == (force, 1)
        assert world.record(force).status is RecordStatus.IN_CONFLICT
        [pending] = world.record(force).resolutions
        assert (pending.proposal_id, pending.owner, pending.epoch) == (proposal, "WMP", 2)
        assert pending.outcome is ResolutionOutcome.PENDING
        assert pending.coordinator == "GMP coordinator"
    assert world.nodes["WMP"].dead_letters == []


def test_the_proposal_arrives_as_a_pending_item_for_the_other_coordinator(world: World) -> None:
    world.propose("GMP", "WMP")
    wire = world.network.take(0)
    assert wire.row.message_type == "resolution.proposed"
    assert world.nodes["WMP"].receive(wire)
    events = world.relay("WMP")
    assert [type(event) for event in events] == [ResolutionProposalReceived]


def test_a_confirmation_gives_both_records_the_agreed_owner_and_unfreezes_them(
    world: World,
) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    assert world.confirm("WMP", proposal) is None
    assert world.view("WMP") == ("WMP", 2)
    assert world.view("GMP") == ("GMP", 1), "the proposer waits for the confirmation"
    world.deliver()
    for force, status in (("GMP", RecordStatus.OWNED_ELSEWHERE), ("WMP", RecordStatus.OWNED)):
        record = world.record(force)
        assert (record.owner, record.epoch, record.status) == ("WMP", 2, status)
        assert record.conflicts == []
        assert record.history[-1].kind is ChangeKind.RESOLVED
        assert record.history[-1].source_message_id == proposal
        assert outcomes(world, force) == [ResolutionOutcome.CONFIRMED]
        assert record.resolutions[0].answered_by == "WMP coordinator"
    assert world.nodes["GMP"].dead_letters == []


def test_the_resolution_is_audited_with_both_coordinators_and_the_reason(world: World) -> None:
    proposal, _ = world.propose("GMP", "GMP")
    world.deliver()
    world.confirm("WMP", proposal)
    assert world.nodes["GMP"].receive(world.network.take(0))
    resolved = [e for e in world.relay("GMP") if isinstance(e, ConflictResolved)]
    assert [(r.proposed_by, r.confirmed_by, r.reason, r.owner, r.epoch) for r in resolved] == [
        ("GMP coordinator", "WMP coordinator", "agreed", "GMP", 2)
    ]
    assert resolved[0].cleared == 1


def test_a_confirmation_from_a_force_not_asked_is_refused(world: World) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    for sender in (ROGUE, THIRD):
        wire = world.forged_confirmation(sender, "GMP", proposal, "WMP", 2)
        assert world.receive(wire) == "not_a_party"
    assert world.view("GMP") == ("GMP", 1)
    assert outcomes(world, "GMP") == [ResolutionOutcome.PENDING]
    assert world.record("GMP").status is RecordStatus.IN_CONFLICT


@pytest.mark.parametrize(
    ("owner", "epoch", "code"),
    [
        ("WMP", 1, "stale_epoch"),
        ("WMP", 3, "resolution_mismatch"),
        ("GMP", 2, "resolution_mismatch"),
    ],
)
def test_a_confirmation_that_does_not_match_the_proposal_is_refused(
    world: World, owner: str, epoch: int, code: str
) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    assert world.receive(world.forged_confirmation("WMP", "GMP", proposal, owner, epoch)) == code
    assert world.view("GMP") == ("GMP", 1)
    assert [r.code for r in world.record("GMP").refusals] == [code]


def test_a_confirmation_of_no_pending_proposal_is_refused(world: World) -> None:
    wire = world.forged_confirmation("WMP", "GMP", "0f8fad5b-d9cb-469f-a165-70867728950e", "WMP", 2)
    assert world.receive(wire) == "unknown_resolution"
    assert world.view("GMP") == ("GMP", 1)


def test_the_right_confirmation_still_resolves_after_refused_ones(world: World) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    assert world.receive(world.forged_confirmation(ROGUE, "GMP", proposal, "WMP", 2))
    assert world.receive(world.forged_confirmation("WMP", "GMP", proposal, "WMP", 1))
    world.confirm("WMP", proposal)
    world.deliver()
    assert world.view("GMP") == world.view("WMP") == ("WMP", 2)


def test_a_rejection_keeps_the_conflict_and_allows_a_new_proposal(world: World) -> None:
    first, _ = world.propose("GMP", "WMP")
    world.deliver()
    assert world.reject("WMP", first) is None
    world.deliver()
    for force in ("GMP", "WMP"):
        assert world.view(force) == (force, 1)
        assert world.record(force).status is RecordStatus.IN_CONFLICT
        assert outcomes(world, force) == [ResolutionOutcome.REJECTED]
    second, error = world.propose("GMP", "GMP", epoch=5)
    assert error is None
    world.deliver()
    world.confirm("WMP", second)
    world.deliver()
    assert world.view("GMP") == world.view("WMP") == ("GMP", 5)


def test_proposing_needs_an_open_conflict_a_party_as_owner_and_a_new_epoch(
    world: World,
) -> None:
    _, error = world.propose(THIRD, "GMP")
    assert code(error) == "no_conflict"
    _, error = world.propose("GMP", THIRD)
    assert code(error) == "not_a_party"
    _, error = world.propose("GMP", "WMP", epoch=1)
    assert code(error) == "resolution_epoch_too_low"
    assert world.record("GMP").resolutions == []
    assert world.network.in_flight == []


def test_one_proposal_at_a_time_between_two_parties(world: World) -> None:
    world.propose("GMP", "WMP")
    _, error = world.propose("GMP", "GMP")
    assert code(error) == "resolution_pending"


def test_only_the_coordinator_asked_can_confirm_or_reject(world: World) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    for step in (world.confirm, world.reject):
        error = step("GMP", proposal)
        assert code(error) == "unknown_resolution"
    error = world.confirm("WMP", "no such proposal")
    assert code(error) == "unknown_resolution"


def test_a_proposal_below_an_epoch_the_other_side_has_seen_cannot_be_confirmed(
    world: World,
) -> None:
    wmp = world.record("WMP")
    wmp.conflicts.append(replace(wmp.conflicts[0], epoch=4, kind=ConflictKind.CLAIM))
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    error = world.confirm("WMP", proposal)
    assert code(error) == "resolution_epoch_too_low"
    assert world.reject("WMP", proposal) is None


def test_a_proposal_naming_a_third_owner_is_refused_on_arrival(world: World) -> None:
    world.propose("GMP", "WMP")
    sent = world.network.take(0)
    forged = replace(sent.row, body=sent.row.body | {"new_owner": ROGUE})
    assert world.receive(signed(forged, "GMP", sent.at)) == "not_a_party"
    assert world.record("WMP").resolutions == []


def test_crossing_proposals_only_the_stronger_can_be_confirmed(world: World) -> None:
    weaker, _ = world.propose("WMP", "WMP", epoch=2)
    stronger, _ = world.propose("GMP", "WMP", epoch=3)
    world.deliver()
    error = world.confirm("GMP", weaker)
    assert code(error) == "resolution_pending"
    assert world.confirm("WMP", stronger) is None
    world.deliver()
    assert world.view("GMP") == world.view("WMP") == ("WMP", 3)
    for force in ("GMP", "WMP"):
        held = {p.proposal_id: p.outcome for p in world.record(force).resolutions}
        assert held == {
            weaker: ResolutionOutcome.SUPERSEDED,
            stronger: ResolutionOutcome.CONFIRMED,
        }


def test_at_the_same_epoch_the_proposer_whose_code_sorts_first_is_stronger(
    world: World,
) -> None:
    wmps, _ = world.propose("WMP", "WMP", epoch=4)
    gmps, _ = world.propose("GMP", "GMP", epoch=4)
    world.deliver()
    error = world.confirm("GMP", wmps)
    assert code(error) == "resolution_pending"
    assert world.confirm("WMP", gmps) is None
    world.deliver()
    assert world.view("GMP") == world.view("WMP") == ("GMP", 4)


def test_a_third_forces_view_follows_the_resolved_owner_at_its_next_reconciliation(
    world: World,
) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    world.confirm("WMP", proposal)
    world.deliver()
    third = world.record(THIRD)
    assert (third.owner, third.epoch) == ("GMP", 1)
    third.reconcile_with("GMP", HeldView(REFERENCE, True, "WMP", 2), "status-1", world.tick())
    assert (third.owner, third.epoch) == ("WMP", 2)
    assert third.conflicts == []


def test_a_record_with_resolutions_is_stored_and_read_back_whole(world: World) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    world.reject("WMP", proposal)
    record = world.record("WMP")
    assert load_record(dump_record(record)) == record


def test_the_dashboard_lists_pending_proposals_and_the_timeline_the_resolution(
    world: World,
) -> None:
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    for force in ("GMP", "WMP"):
        [listed] = proposed_resolutions([world.record(force)])
        assert (listed.proposal_id, listed.proposer, listed.waiting_on) == (proposal, "GMP", "WMP")
        assert (listed.owner, listed.epoch, listed.coordinator) == ("WMP", 2, "GMP coordinator")
    world.confirm("WMP", proposal)
    world.deliver()
    for force in ("GMP", "WMP"):
        assert proposed_resolutions([world.record(force)]) == []
        entries = timeline(world.record(force))
        assert any("WMP conflict resolved: owner from epoch 2" in str(e) for e in entries)


def test_a_resolution_ends_the_transfers_still_live_at_the_older_epoch(world: World) -> None:
    notified = world.open_transfer("GMP", TransferState.NOTIFIED)
    drafted = world.open_transfer("WMP", TransferState.DRAFT)
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    assert world.confirm("WMP", proposal) is None
    world.deliver()
    for force, transfer_id in (("GMP", notified), ("WMP", drafted)):
        transfer = world.record(force).transfer(transfer_id)
        assert transfer is not None
        assert transfer.state is TransferState.CANCELLED
        assert transfer.steps[-1].note == (
            "ended by the resolution of a conflict: the record moved to epoch 2"
        )


def test_the_resolution_names_the_transfers_it_ended(world: World) -> None:
    drafted = world.open_transfer("WMP", TransferState.DRAFT)
    ended = world.open_transfer("WMP", TransferState.DECLINED)
    proposal, _ = world.propose("GMP", "WMP")
    world.deliver()
    confirm = c.ConfirmResolution(
        reference=REFERENCE, at=world.tick(), by="WMP coordinator", proposal_id=proposal,
        reason="agreed",
    )  # fmt: skip
    assert world.nodes["WMP"].act(confirm) is None
    [resolved] = [e for e in world.relay("WMP") if isinstance(e, ConflictResolved)]
    assert resolved.transfers_ended == (drafted,)
    declined = world.record("WMP").transfer(ended)
    assert declined is not None
    assert declined.state is TransferState.DECLINED


def test_a_transfer_ends_locally_only_in_a_terminal_state(world: World) -> None:
    drafted = world.open_transfer("WMP", TransferState.DRAFT)
    transfer = world.record("WMP").transfer(drafted)
    assert transfer is not None
    with pytest.raises(DomainError, match="does not end transfer"):
        transfer.end_locally(Step.CANCEL, TransferState.READY, "WMP coordinator", START, "no")
    assert transfer.state is TransferState.DRAFT
    assert transfer.steps == []
