"""A federation of forces exchanging the protocol over a network that loses, copies,
delays and reorders messages, checked after every step against the ownership invariants.

``INTERFORCE_FEDERATION_EXAMPLES`` sets how many federations hypothesis runs (default 200,
about ten seconds on two cores); ``INTERFORCE_FEDERATION_STEPS`` the most steps each may take
(default 60). ``pytest --hypothesis-show-statistics`` shows how many handovers, conflicts and
refusals the run exercised.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import event as note_event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.consultation import PartyKind
from ownership.domain.errors import DomainError
from ownership.domain.history import ChangeKind
from ownership.domain.pending import PendingItem, WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.states import Side, TransferState, is_terminal
from ownership.domain.transfer import DeclineReason
from ownership.domain.values import OffenderProfile

from .builders import MAPPA_RSO, PDP, RSO, T0, address, move, visit
from .federation import Network, Node

FORCES = ("A", "B", "C", "D")
OFFENDERS = ("X1", "X2")
PROFILES = (RSO, MAPPA_RSO, PDP)
EXAMPLES = int(os.environ.get("INTERFORCE_FEDERATION_EXAMPLES", "200"))
STEPS = int(os.environ.get("INTERFORCE_FEDERATION_STEPS", "60"))

forces = st.sampled_from(FORCES)
offenders = st.sampled_from(OFFENDERS)
picks = st.integers(min_value=0, max_value=1_000)
ACTIONS = ["notify", "amend", "cancel", "expire", "commit", "remind"]
ACTIONS += ["acknowledge", "consult", "accept", "decline"]


class Federation(RuleBasedStateMachine):
    """Four force nodes and the network between them."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.nodes = {force: Node(force, self.loop) for force in FORCES}
        self.network = Network()
        self.clock = T0
        self.transfer_ids = itertools.count(1)
        self.granted: dict[str, dict[int, str]] = {}
        self.last_seen: dict[tuple[str, str], tuple[str, int]] = {}
        self.conflicted: set[str] = set()

    def teardown(self) -> None:
        self.loop.close()
        granted = sum(len(epochs) - 1 for epochs in self.granted.values())
        note_event(f"ownership handed over {min(granted, 4)}{'+' if granted >= 4 else ''} times")
        note_event(f"conflicts raised: {bool(self.conflicted)}")
        letters = [code for node in self.nodes.values() for _, code in node.dead_letters]
        for code in sorted(set(letters)):
            note_event(f"refused: {code}")

    # -- the world moves -------------------------------------------------------------

    def _tick(self) -> datetime:
        self.clock += timedelta(minutes=5)
        return self.clock

    def _act(self, force: str, command: c.Command) -> DomainError | None:
        node = self.nodes[force]
        stored = node.record(command.reference)
        version = stored.version if stored is not None else None
        error = node.act(command)
        if error is not None:
            after = node.record(command.reference)
            assert (after.version if after is not None else None) == version, "not rolled back"
        self._relay(node)
        return error

    def _relay(self, node: Node) -> None:
        for event in node.relay(self.network):
            if isinstance(event, e.OwnershipTransferred):
                self._grant(event)
            if isinstance(event, e.ConflictRaised):
                self.conflicted.add(event.reference)

    def _grant(self, event: e.OwnershipTransferred) -> None:
        epochs = self.granted[event.reference]
        assert epochs[event.epoch - 1] == event.sender, "granted by a force that did not own"
        assert event.epoch not in epochs, f"epoch {event.epoch} granted twice"
        epochs[event.epoch] = event.recipient

    @initialize(
        owners=st.tuples(forces, forces), profiles=st.tuples(*[st.sampled_from(PROFILES)] * 2)
    )
    def register(
        self, owners: tuple[str, str], profiles: tuple[OffenderProfile, OffenderProfile]
    ) -> None:
        for reference, owner, profile in zip(OFFENDERS, owners, profiles, strict=True):
            command = c.RegisterOffender(reference=reference, by="om", at=T0, profile=profile)
            assert self._act(owner, command) is None
            self.granted[reference] = {1: owner}

    def _self_owner(self, reference: str) -> str | None:
        for force, node in self.nodes.items():
            record = node.record(reference)
            if record is not None and record.is_owner:
                return force
        return None

    @rule(reference=offenders, receiver=forces, temporary=st.booleans())
    def prepare_transfer(self, reference: str, receiver: str, temporary: bool) -> None:
        owner = self._self_owner(reference)
        if owner is None or owner == receiver:
            return
        at = self._tick()
        transfer_id = f"T{next(self.transfer_ids)}"
        end = at.date() + timedelta(days=20) if temporary else None
        start = c.StartTransfer(
            reference=reference,
            by="om",
            at=at,
            transfer_id=transfer_id,
            receiver=receiver,
            details=move(end),
        )
        if self._act(owner, start) is not None:
            return
        self._review(owner, reference, transfer_id, at)

    def _review(self, owner: str, reference: str, transfer_id: str, at: datetime) -> None:
        visit_id = f"V-{transfer_id}"
        recorded = c.RecordVisit(
            reference=reference, by="om", at=at, visit=visit(visit_id, start=at)
        )
        assert self._act(owner, recorded) is None
        record = self.nodes[owner].record(reference)
        assert record is not None
        for item in sorted(mandatory_items(record.profile)):
            uses_visit = item in {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT}
            done = c.CompleteReviewItem(
                reference=reference,
                by="om",
                at=at,
                transfer_id=transfer_id,
                item=item,
                note="done",
                visit_id=visit_id if uses_visit else None,
            )
            assert self._act(owner, done) is None

    def _transfer(self, force: str, reference: str, pick: int) -> str | None:
        record = self.nodes[force].record(reference)
        if record is None or not record.transfers:
            return None
        return record.transfers[pick % len(record.transfers)].transfer_id

    @rule(reference=offenders, pick=picks, rounds=st.integers(1, 3))
    def advance(self, reference: str, pick: int, rounds: int) -> None:
        """Forces take their expected next steps, delivering in order between rounds."""
        for _ in range(rounds):
            self._round(reference, pick)
            self.deliver(0, in_order=True, count=4)

    @rule(reference=offenders, pick=picks)
    def take_turns(self, reference: str, pick: int) -> None:
        """Every force a pending item waits on takes the expected next step (one round)."""
        self._round(reference, pick)

    def _round(self, reference: str, pick: int) -> None:
        waiting = [
            (force, item)
            for force, node in self.nodes.items()
            if (record := node.record(reference)) is not None
            for item in record.pending(self.clock.date())
            if item.party == force
        ]
        if not waiting:
            owner = self._self_owner(reference)
            others = [force for force in FORCES if force != owner]
            self.prepare_transfer(reference, others[pick % len(others)], pick % 3 == 0)
            return
        for force, item in waiting[pick % len(waiting) :] + waiting[: pick % len(waiting)]:
            self._take_turn(force, reference, item)

    def _take_turn(self, force: str, reference: str, item: PendingItem) -> None:
        if item.waiting_for is WaitingFor.RETURN:
            record = self.nodes[force].record(reference)
            assert record is not None
            if record.is_owner and record.temporary_move is not None:
                self.prepare_transfer(reference, record.temporary_move.home_force, False)
            return
        self._step(force, reference, item.transfer_id, item.waiting_for)

    def _step(self, force: str, reference: str, transfer_id: str, waits: WaitingFor) -> None:
        common: dict[str, Any] = {
            "reference": reference,
            "by": "om",
            "at": self._tick(),
            "transfer_id": transfer_id,
        }
        if waits is WaitingFor.CONSULTATION:
            self._consult(force, common)
            return
        command = {
            WaitingFor.NOTIFICATION: c.NotifyTransfer,
            WaitingFor.ACKNOWLEDGEMENT: c.AcknowledgeTransfer,
            WaitingFor.ACCEPTANCE: c.AcceptOwnership,
            WaitingFor.COMMIT: c.CommitTransfer,
        }[waits](**common)
        self._act(force, command)

    @rule(force=forces, reference=offenders, pick=picks, action=st.sampled_from(ACTIONS))
    def anyone_acts(self, force: str, reference: str, pick: int, action: str) -> None:
        """Any force tries any step on any transfer it holds: most are refused."""
        transfer_id = self._transfer(force, reference, pick)
        if transfer_id is None:
            return
        common: dict[str, Any] = {
            "reference": reference,
            "by": "om",
            "at": self._tick(),
            "transfer_id": transfer_id,
        }
        if action == "consult":
            self._consult(force, common)
            return
        builders: dict[str, Callable[[], c.Command]] = {
            "notify": lambda: c.NotifyTransfer(**common),
            "amend": lambda: c.AmendTransfer(**common, details=move(), reason="correction"),
            "cancel": lambda: c.CancelTransfer(**common, reason="move is off"),
            "expire": lambda: c.ExpireTransfer(**common),
            "commit": lambda: c.CommitTransfer(**common),
            "remind": lambda: c.SendReminder(**common),
            "acknowledge": lambda: c.AcknowledgeTransfer(**common),
            "accept": lambda: c.AcceptOwnership(**common),
            "decline": lambda: c.DeclineTransfer(
                **common, reason=DeclineReason.NOT_OURS, text="not our area"
            ),
        }
        self._act(force, builders[action]())

    def _consult(self, force: str, common: dict[str, Any]) -> None:
        party = c.RecordConsultationParty(
            **common, party="lead agency", kind=PartyKind.MAPPA_LEAD_AGENCY, outcome="agreed"
        )
        if self._act(force, party) is None:
            assert self._act(force, c.CompleteConsultation(**common, summary="done")) is None

    @rule(reference=offenders, witness=forces, claimant=forces, back=st.integers(0, 1), go=picks)
    def rogue_claim(self, reference: str, witness: str, claimant: str, back: int, go: int) -> None:
        """Now and then a force claims an epoch it was not granted (or a stale one)."""
        record = self.nodes[witness].record(reference)
        if (
            go % 4
            or record is None
            or claimant in {witness, record.owner}
            or record.epoch - back < 1
        ):
            return
        self.network.post(
            e.TransferNotified(
                reference=reference,
                force=claimant,
                at=self._tick(),
                recipient=witness,
                transfer_id=f"rogue-{next(self.transfer_ids)}",
                epoch=record.epoch - back,
                profile=record.profile,
                details=move(),
                review=(),
                review_outcome="",
            )
        )

    @rule(reference=offenders, force=forces)
    def record_absence(self, reference: str, force: str) -> None:
        destination = FORCES[(FORCES.index(force) + 1) % len(FORCES)]
        at = self._tick()
        self._act(
            force,
            c.RecordAbsence(
                reference=reference,
                by="om",
                at=at,
                date_left=at.date(),
                forwarding_address=address("3 Far Lane"),
                forwarding_force=destination,
                evidence="neighbour reports removal van",
            ),
        )

    # -- the network misbehaves -----------------------------------------------------

    @precondition(lambda self: self.network.in_flight)
    @rule(pick=picks, in_order=st.booleans(), count=st.integers(1, 4))
    def deliver(self, pick: int, in_order: bool, count: int) -> None:
        """Deliver the oldest messages (as a Kafka partition would), or any (reordered)."""
        for _ in range(min(count, len(self.network.in_flight))):
            env = self.network.take(0 if in_order else pick)
            node = self.nodes[env.event.recipient]
            node.receive(env, self._tick())
            self._relay(node)

    @precondition(lambda self: self.network.in_flight)
    @rule(pick=picks, fault=st.sampled_from(["drop", "duplicate", "replay"]))
    def misbehave(self, pick: int, fault: str) -> None:
        """Lose a message, deliver it twice, or have its sender resend it under a new id."""
        getattr(self.network, fault)(pick)

    @rule(days=st.integers(1, 30))
    def time_passes(self, days: int) -> None:
        self.clock += timedelta(days=days)

    # -- what must always hold ------------------------------------------------------

    def _views(self) -> list[tuple[str, OffenderRecord]]:
        return [
            (force, record)
            for force, node in self.nodes.items()
            for record in node.uow.store.values()
        ]

    @invariant()
    def one_owner_per_epoch_in_every_view(self) -> None:
        claims: dict[tuple[str, int], set[str]] = {}
        for _force, record in self._views():
            granted = self.granted[record.reference]
            for change in record.history:
                claims.setdefault((record.reference, change.epoch), set()).add(change.owner)
                assert granted.get(change.epoch) == change.owner, "view holds an ungranted owner"
            assert record.history[-1].epoch == record.epoch
            assert record.history[-1].owner == record.owner
        for (reference, _epoch), owners in claims.items():
            assert len(owners) == 1 or reference in self.conflicted

    @invariant()
    def owner_changes_only_through_committed_transfers(self) -> None:
        for force, record in self._views():
            key = (force, record.reference)
            before = self.last_seen.get(key)
            now = (record.owner, record.epoch)
            if before is not None:
                assert now[1] >= before[1], "epoch went backwards"
                assert now == before or now[1] > before[1], "owner changed within an epoch"
            self.last_seen[key] = now
            for change in record.history:
                if change.kind is ChangeKind.TRANSFERRED:
                    self._assert_committed(record.reference, change.epoch, change.transfer_id)

    def _assert_committed(self, reference: str, epoch: int, transfer_id: str | None) -> None:
        granter = self.nodes[self.granted[reference][epoch - 1]].record(reference)
        assert granter is not None
        assert transfer_id is not None
        transfer = granter.transfer(transfer_id)
        assert transfer.side is Side.OWNER
        assert transfer.state is TransferState.COMMITTED

    @invariant()
    def every_transfer_is_terminal_or_pending(self) -> None:
        for force, record in self._views():
            pending = {p.transfer_id: p for p in record.pending(self.clock.date())}
            for transfer in record.transfers:
                item = pending.get(transfer.transfer_id)
                if is_terminal(transfer.state):
                    continue
                assert item is not None, f"{force} lost track of {transfer.transfer_id}"
                assert item.party in {transfer.owner, transfer.receiver}
            move_ = record.temporary_move
            if move_ is not None:
                due = [p for p in pending.values() if p.waiting_for is WaitingFor.RETURN]
                assert due
                assert due[0].overdue == (self.clock.date() > move_.return_due)


Federation.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_federation_keeps_one_owner = Federation.TestCase
