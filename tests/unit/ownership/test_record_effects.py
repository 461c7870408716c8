"""A record's first entries, its transfer's start and review, amendments, consultation, the
handover's body and conflicting claims: exact effects and whole refusal texts, as literals."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.consultation import ConsultationParty, PartyKind
from ownership.domain.errors import (
    ConsultationNotOpenError,
    DomainError,
    DuplicateTransferError,
    InvalidDetailsError,
    MisaddressedError,
    NotTheOwnerError,
    OutOfSequenceError,
    OwnershipConflictError,
    ReviewClosedError,
    StaleRevisionError,
    TransferAlreadyOpenError,
    UngrantedEpochError,
)
from ownership.domain.events import (
    ConflictRaised,
    ConsultationCompleted,
    ConsultationPartyRecorded,
    OffenderRegistered,
    OwnershipChanged,
    PeerStepApplied,
    ReviewCompleted,
    ReviewItemCompleted,
    TransferStarted,
)
from ownership.domain.history import ChangeKind, Conflict, OwnershipChange
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.review import ReviewEntry, ReviewItem
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.transfer import StepTaken, Transfer
from ownership.domain.values import LeadAgency, MappaCategory, MappaLevel, MappaManagement

from .builders import (
    OTHER,
    OWNER,
    PDP,
    RECEIVER,
    REF,
    RSO,
    T0,
    TID,
    amendment,
    at,
    local,
    message,
    move,
    notification,
    owner_in,
    receiver_in,
    register,
)

S = TransferState


def refused(error: type[DomainError], text: str) -> Any:
    """Expect exactly this refusal, its whole text."""
    return pytest.raises(error, match=f"^{re.escape(text)}$")


def test_registering_makes_the_force_owner_of_epoch_one() -> None:
    record = OffenderRecord.register(
        c.RegisterOffender(reference=REF, by="officer", at=at(1), profile=PDP), OWNER
    )
    assert (record.reference, record.held_by, record.profile) == (REF, OWNER, PDP)
    assert (record.owner, record.epoch, record.status) == (OWNER, 1, RecordStatus.OWNED)
    assert record.history == [OwnershipChange(1, OWNER, None, at(1), ChangeKind.REGISTERED)]
    assert record.events == [
        OwnershipChanged(
            reference=REF,
            force=OWNER,
            at=at(1),
            previous_owner=None,
            owner=OWNER,
            epoch=1,
            kind=ChangeKind.REGISTERED,
            transfer_id=None,
        ),
        OffenderRegistered(reference=REF, force=OWNER, at=at(1), profile=PDP),
    ]


def test_a_first_message_opens_a_view_owned_by_its_sender_at_its_epoch() -> None:
    msg = notification(epoch=4, at=at(2))
    record = OffenderRecord.first_heard(msg, RECEIVER, PDP)
    assert (record.reference, record.held_by, record.profile) == (REF, RECEIVER, PDP)
    assert (record.owner, record.epoch, record.status) == (
        OWNER,
        4,
        RecordStatus.OWNED_ELSEWHERE,
    )
    assert record.history == [
        OwnershipChange(4, OWNER, None, at(2), ChangeKind.OBSERVED, None, None, msg.message_id)
    ]
    assert [type(e) for e in record.events] == [OwnershipChanged]


def test_starting_a_transfer_drafts_it_at_the_current_epoch() -> None:
    record = register()
    record.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move(), at=at(3))
    )
    assert record.events == [
        TransferStarted(
            reference=REF, force=OWNER, at=at(3), transfer_id=TID, receiver=RECEIVER, details=move()
        )
    ]
    assert record.transfers == [
        Transfer(TID, Side.OWNER, OWNER, RECEIVER, 1, move(), S.DRAFT, at(3))
    ]
    assert record.status is RecordStatus.TRANSFERRING_OUT


def test_a_transfer_is_refused_to_ourselves_twice_over_or_beside_a_live_one() -> None:
    record = owner_in(S.NOTIFIED)
    start = local(c.StartTransfer, transfer_id="T2", receiver=OTHER, details=move())
    with refused(InvalidDetailsError, "a force cannot transfer an offender to itself"):
        record.start_transfer(replace(start, receiver=OWNER))
    with refused(DuplicateTransferError, f"transfer {TID} already exists"):
        record.start_transfer(replace(start, transfer_id=TID))
    with refused(TransferAlreadyOpenError, f"{REF} already has a live transfer"):
        record.start_transfer(start)
    assert [t.transfer_id for t in record.transfers] == [TID]


def test_only_the_owner_starts_a_transfer() -> None:
    record = receiver_in(S.NOTIFIED)
    start = local(c.StartTransfer, transfer_id="T2", receiver=OTHER, details=move())
    with refused(NotTheOwnerError, f"{RECEIVER} does not own {REF}"):
        record.start_transfer(start)


def test_each_review_item_is_recorded_and_the_last_makes_the_transfer_ready() -> None:
    record = owner_in(S.DRAFT, PDP)
    items = sorted(
        {
            ReviewItem.VISOR_CHECKED,
            ReviewItem.PNC_CHECKED,
            ReviewItem.LOCAL_INTELLIGENCE_CHECKED,
            ReviewItem.OFFICER_SAFETY_RECORDED,
            ReviewItem.RISK_ASSESSED,
            ReviewItem.OUTCOME_RECORDED,
            ReviewItem.OUTCOME_DISCUSSED,
        }
    )
    for minute, item in enumerate(items[:-1]):
        record.complete_review_item(
            local(c.CompleteReviewItem, transfer_id=TID, item=item, note="ok", at=at(minute))
        )
    assert record.transfer(TID).state is S.DRAFT
    record.events.clear()
    last = items[-1]
    record.complete_review_item(
        local(c.CompleteReviewItem, transfer_id=TID, item=last, note="ok", by="sgt", at=at(9))
    )
    assert record.events == [
        ReviewItemCompleted(
            reference=REF,
            force=OWNER,
            at=at(9),
            transfer_id=TID,
            entry=ReviewEntry(last, "sgt", at(9), "ok", None),
        ),
        ReviewCompleted(reference=REF, force=OWNER, at=at(9), transfer_id=TID),
    ]
    assert record.transfer(TID).steps == [StepTaken(Step.COMPLETE_REVIEW, S.READY, at(9), "sgt", 1)]


def test_the_review_closes_once_the_transfer_is_notified() -> None:
    record = owner_in(S.NOTIFIED)
    with refused(ReviewClosedError, f"transfer {TID} is notified"):
        record.complete_review_item(
            local(c.CompleteReviewItem, transfer_id=TID, item=ReviewItem.VISOR_UPDATED, note="x")
        )


def test_an_amendment_replaces_the_details_and_the_mappa_management() -> None:
    record = receiver_in(S.NOTIFIED)
    mappa = MappaManagement(MappaCategory.TWO, MappaLevel.THREE, LeadAgency.POLICE)
    corrected = move(street="2 Corrected Street")
    changes = replace(DetailsAmendment.whole(corrected), mappa=mappa)
    msg = message(
        c.ReceiveTransferAmended,
        OWNER,
        RECEIVER,
        changes=changes,
        revision=2,
        reason="address corrected",
        at=at(4),
    )
    record.receive_amendment(msg)
    transfer = record.transfer(TID)
    assert (transfer.revision, transfer.details, record.profile.mappa) == (2, corrected, mappa)
    assert record.events == [
        PeerStepApplied(
            reference=REF,
            force=RECEIVER,
            at=at(4),
            transfer_id=TID,
            step=Step.AMEND,
            sender=OWNER,
            state=S.AMENDED,
            message_id=msg.message_id,
        )
    ]
    assert transfer.steps[-1] == StepTaken(Step.AMEND, S.AMENDED, at(4), OWNER, 2, msg.message_id)


@pytest.mark.parametrize("revision", [1, 0])
def test_an_amendment_must_be_newer_than_what_the_receiver_holds(revision: int) -> None:
    record = receiver_in(S.NOTIFIED)
    with refused(StaleRevisionError, f"revision {revision} is not newer"):
        record.receive_amendment(amendment(revision))
    assert record.transfer(TID).details == move()


def test_an_amendment_after_a_commit_is_out_of_sequence() -> None:
    record = receiver_in(S.COMMITTED)
    with refused(OutOfSequenceError, "transfer.amended arrived when committed"):
        record.receive_amendment(amendment(5, epoch=1))


def test_each_consulted_party_and_the_consultation_done_are_recorded() -> None:
    record = receiver_in(S.ACKNOWLEDGED, consulted=False)
    record.events.clear()
    record.record_consultation_party(
        local(
            c.RecordConsultationParty,
            transfer_id=TID,
            party="Leeds WPU",
            kind=PartyKind.WITNESS_PROTECTION_UNIT,
            outcome="no objection",
            at=at(5),
        )
    )
    party = ConsultationParty(
        "Leeds WPU", PartyKind.WITNESS_PROTECTION_UNIT, "no objection", "officer", at(5)
    )
    record.complete_consultation(
        local(c.CompleteConsultation, transfer_id=TID, summary="all content", at=at(6))
    )
    assert record.events == [
        ConsultationPartyRecorded(
            reference=REF, force=RECEIVER, at=at(5), transfer_id=TID, party=party
        ),
        ConsultationCompleted(reference=REF, force=RECEIVER, at=at(6), transfer_id=TID),
    ]
    consultation = record.transfer(TID).consultation
    assert consultation is not None
    assert (consultation.parties, consultation.completed_at, consultation.summary) == (
        [party],
        at(6),
        "all content",
    )


@pytest.mark.parametrize("state", [S.NOTIFIED, S.DECLINED])
def test_no_consultation_before_acknowledgement_or_once_the_transfer_is_over(
    state: TransferState,
) -> None:
    record = receiver_in(state)
    with refused(ConsultationNotOpenError, f"transfer {TID} has no open consultation ({state})"):
        record.complete_consultation(local(c.CompleteConsultation, transfer_id=TID, summary="x"))


def test_a_handover_naming_another_owner_or_epoch_is_refused() -> None:
    record = receiver_in(S.ACCEPTED)
    handover = message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2)
    with refused(MisaddressedError, f"the handover names {OTHER} as owner, not {RECEIVER}"):
        record.receive_ownership(replace(handover, new_owner=OTHER))
    with refused(UngrantedEpochError, "the handover grants epoch 3 but speaks for 2"):
        record.receive_ownership(replace(handover, new_epoch=3))
    assert (record.owner, record.epoch) == (OWNER, 1)
    record.receive_ownership(replace(handover, new_owner=RECEIVER, new_epoch=2, effective_at=T0))
    assert (record.owner, record.epoch) == (RECEIVER, 2)


def test_a_second_force_claiming_the_owners_epoch_raises_a_conflict() -> None:
    record = receiver_in(S.NOTIFIED)
    claim = notification(sender=OTHER, epoch=1, at=at(7), transfer_id="T9")
    with refused(OwnershipConflictError, f"{OTHER} and {OWNER} claim epoch 1"):
        record.receive_notification(claim)
    assert record.conflicts == [Conflict(1, OWNER, OTHER, OTHER, claim.message_id, at(7))]
    raised = [e for e in record.events if isinstance(e, ConflictRaised)]
    assert raised == [
        ConflictRaised(
            reference=REF,
            force=RECEIVER,
            at=at(7),
            epoch=1,
            held_owner=OWNER,
            claimed_owner=OTHER,
            claimed_by=OTHER,
            message_id=claim.message_id,
        )
    ]
    assert record.status is RecordStatus.IN_CONFLICT
    assert record.refusals[-1].code == "ownership_conflict"


def test_the_profile_of_a_first_notification_is_the_records() -> None:
    record = OffenderRecord.first_heard(notification(RSO), RECEIVER, PDP)
    record.receive_notification(notification(RSO))
    assert record.profile == RSO
