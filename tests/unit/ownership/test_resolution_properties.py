"""A conflict's resolution under any interleaving: proposals from both parties at any epoch,
confirmations and rejections by anyone, forged answers, and a network that reorders and
replays, all over the real wire.

GMP and WMP each hold that they own the record at epoch 1 and are in conflict; SWP holds a
view owned by GMP; MPS and SWP sign confirmations and rejections of any proposal they hear
of, and the parties' own keys sign ones at the wrong epoch or owner. After every step:

* no record takes a resolution its counterpart's coordinator did not confirm;
* no record's epoch goes backwards;
* once a resolution moved a party's record past epoch 1, no transfer of an older epoch is
  live there (each party starts with one live from before the conflict).

At the end the network drains, and: if any resolution was confirmed, both parties hold the
same owner at the same epoch, from the same proposal, unfrozen, and the third force's view
follows it at its next reconciliation; if none was, neither party's ownership changed.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import event as note_event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ownership.domain import events as e
from ownership.domain.held_views import HeldView
from ownership.domain.history import ChangeKind
from ownership.domain.states import TransferState

from .federation import outbox_row, signed
from .resolution_world import PARTIES, REFERENCE, ROGUE, THIRD, World

parties = st.sampled_from(PARTIES)
everyone = st.sampled_from((*PARTIES, THIRD))
picks = st.integers(min_value=0, max_value=1_000)


class Resolutions(RuleBasedStateMachine):
    """Two parties in conflict, a third force, a forger and an unreliable network."""

    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.world.open_transfer("GMP", TransferState.NOTIFIED)
        self.world.open_transfer("WMP", TransferState.DRAFT)
        self.proposals: list[str] = []
        self.confirmed: set[str] = set()
        self.epochs: dict[str, int] = {}

    @rule(force=parties, owner=parties, above=st.none() | st.integers(0, 3))
    def propose(self, force: str, owner: str, above: int | None) -> None:
        epoch = None if above is None else self.world.record(force).epoch + above
        proposal, error = self.world.propose(force, owner, epoch)
        if error is None:
            self.proposals.append(proposal)

    def _proposal(self, pick: int) -> str:
        return self.proposals[pick % len(self.proposals)]

    @precondition(lambda self: self.proposals)
    @rule(force=everyone, pick=picks)
    def confirm(self, force: str, pick: int) -> None:
        proposal = self._proposal(pick)
        if self.world.confirm(force, proposal) is None:
            self.confirmed.add(proposal)

    @precondition(lambda self: self.proposals)
    @rule(force=everyone, pick=picks)
    def reject(self, force: str, pick: int) -> None:
        self.world.reject(force, self._proposal(pick))

    @precondition(lambda self: self.proposals)
    @rule(
        sender=st.sampled_from((ROGUE, THIRD, *PARTIES)),
        recipient=parties,
        pick=picks,
        owner=st.sampled_from((ROGUE, *PARTIES)),
        epoch=st.integers(1, 6),
        rejecting=st.booleans(),
    )
    def forge(
        self, sender: str, recipient: str, pick: int, owner: str, epoch: int, rejecting: bool
    ) -> None:
        """An answer to a proposal that no coordinator gave: signed by a force not asked,
        or a party's confirmation on terms the proposal did not name."""
        proposal = self._proposal(pick)
        if sender in PARTIES and (rejecting or self._terms_match(proposal, owner, epoch)):
            return  # a party's genuine answers are the `confirm` and `reject` rules
        at = self.world.tick()
        common: dict[str, Any] = {
            "reference": REFERENCE, "force": sender, "at": at, "recipient": recipient,
            "transfer_id": None, "epoch": epoch, "causation_id": proposal,
            "proposal_id": proposal, "reason": "forged", "coordinator": "nobody",
        }  # fmt: skip
        event: e.OutgoingEvent = (
            e.ResolutionRejected(**common)
            if rejecting
            else e.ResolutionConfirmed(**common, owner=owner)
        )
        self.world.network.post(signed(outbox_row(event), sender, at))

    def _terms_match(self, proposal: str, owner: str, epoch: int) -> bool:
        return any(
            (p.proposal_id, p.owner, p.epoch) == (proposal, owner, epoch)
            for force in PARTIES
            for p in self.world.record(force).resolutions
        )

    @precondition(lambda self: self.world.network.in_flight)
    @rule(pick=picks)
    def deliver(self, pick: int) -> None:
        """Deliver any message in flight (the network reorders)."""
        wire = self.world.network.take(pick)
        if wire.recipient in self.world.nodes:
            assert self.world.nodes[wire.recipient].receive(wire)
            self.world.relay(wire.recipient)

    @precondition(lambda self: self.world.network.in_flight)
    @rule(pick=picks, fault=st.sampled_from(["duplicate", "replay"]))
    def misbehave(self, pick: int, fault: str) -> None:
        """Deliver a message twice, or have its sender send it again under a new id."""
        getattr(self.world.network, fault)(pick)

    @invariant()
    def no_resolution_takes_effect_without_the_counterparts_confirmation(self) -> None:
        for force in (*PARTIES, THIRD):
            for change in self.world.record(force).history:
                if change.kind is ChangeKind.RESOLVED:
                    assert change.source_message_id in self.confirmed, force

    @invariant()
    def no_epoch_goes_backwards(self) -> None:
        for force in (*PARTIES, THIRD):
            epoch = self.world.record(force).epoch
            assert epoch >= self.epochs.get(force, 1), force
            self.epochs[force] = epoch

    @invariant()
    def no_transfer_of_an_older_epoch_outlives_a_resolution(self) -> None:
        for force in PARTIES:
            record = self.world.record(force)
            stale = [
                t.transfer_id for t in record.transfers if t.is_live and t.epoch < record.epoch
            ]
            assert not stale, f"{force} at epoch {record.epoch} still has {stale} live"

    def teardown(self) -> None:
        try:
            self.world.deliver()
            self._assert_one_owner_in_every_view()
        finally:
            self.world.close()

    def _assert_one_owner_in_every_view(self) -> None:
        gmp, wmp = (self.world.record(force) for force in PARTIES)
        note_event(f"resolutions confirmed: {min(len(self.confirmed), 2)}")
        if not self.confirmed:
            assert [(gmp.owner, gmp.epoch), (wmp.owner, wmp.epoch)] == [("GMP", 1), ("WMP", 1)]
            assert gmp.conflicts
            assert wmp.conflicts
            return
        assert (gmp.owner, gmp.epoch) == (wmp.owner, wmp.epoch)
        assert gmp.history[-1].source_message_id == wmp.history[-1].source_message_id
        assert gmp.conflicts == wmp.conflicts == []
        third = self.world.record(THIRD)
        answer = HeldView(REFERENCE, True, gmp.owner, gmp.epoch)
        third.reconcile_with("GMP", answer, str(uuid.uuid4()), self.world.tick())
        assert (third.owner, third.epoch) == (gmp.owner, gmp.epoch)


Resolutions.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_a_resolution_needs_both_parties_and_leaves_one_owner = Resolutions.TestCase
