"""The pre-transfer review: mandatory items by category, evidence, and the notification."""

from __future__ import annotations

import pytest

from ownership.domain import commands as c
from ownership.domain.errors import (
    ReviewClosedError,
    ReviewEvidenceInvalidError,
    ReviewIncompleteError,
    ReviewItemAlreadyCompleteError,
)
from ownership.domain.events import ReviewCompleted, TransferNotified
from ownership.domain.record import OffenderRecord
from ownership.domain.review import ReviewItem as I
from ownership.domain.review import mandatory_items
from ownership.domain.states import TransferState
from ownership.domain.values import OffenderProfile
from ownership.domain.visits import EntryOutcome

from .builders import MAPPA_RSO, PDP, RSO, TID, VIOLENT, local, owner_in, visit

CHECKS = {I.VISOR_CHECKED, I.PNC_CHECKED, I.LOCAL_INTELLIGENCE_CHECKED}
ASSESSMENT = {I.OFFICER_SAFETY_RECORDED, I.RISK_ASSESSED, I.OUTCOME_RECORDED, I.OUTCOME_DISCUSSED}
VISITED = {I.REVIEW_MEETING, I.TWO_PERSON_VISIT}


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (RSO, CHECKS | ASSESSMENT | VISITED),
        (VIOLENT, CHECKS | ASSESSMENT | VISITED),
        (PDP, CHECKS | ASSESSMENT),
        (MAPPA_RSO, CHECKS | ASSESSMENT | VISITED | {I.MAPPA_LEAD_AGENCY_INFORMED}),
    ],
)
def test_mandatory_items_follow_category_and_mappa(
    profile: OffenderProfile, expected: set[I]
) -> None:
    assert mandatory_items(profile) == expected


def _complete(
    record: OffenderRecord, item: I, note: str = "done", visit_id: str | None = None
) -> None:
    record.complete_review_item(
        local(c.CompleteReviewItem, transfer_id=TID, item=item, note=note, visit_id=visit_id)
    )


def test_a_transfer_cannot_be_notified_until_mandatory_items_are_done() -> None:
    record = owner_in(TransferState.DRAFT)
    _complete(record, I.VISOR_CHECKED)
    with pytest.raises(ReviewIncompleteError, match="pnc_checked"):
        record.notify(local(c.NotifyTransfer, transfer_id=TID))
    assert record.transfer(TID).state is TransferState.DRAFT


def test_the_last_mandatory_item_makes_the_transfer_ready() -> None:
    record = owner_in(TransferState.DRAFT, PDP)
    for item in sorted(mandatory_items(PDP)):
        _complete(record, item)
    assert record.transfer(TID).state is TransferState.READY
    assert isinstance(record.events[-1], ReviewCompleted)


def test_each_item_records_who_did_it_and_when() -> None:
    record = owner_in(TransferState.DRAFT)
    _complete(record, I.PNC_CHECKED, note="no new convictions")
    entry = record.transfer(TID).review.entry(I.PNC_CHECKED)
    assert entry is not None
    assert (entry.done_by, entry.note) == ("officer", "no new convictions")


def test_an_item_is_never_completed_twice() -> None:
    record = owner_in(TransferState.DRAFT)
    _complete(record, I.PNC_CHECKED)
    with pytest.raises(ReviewItemAlreadyCompleteError):
        _complete(record, I.PNC_CHECKED)


def test_the_review_meeting_by_home_visit_needs_entry() -> None:
    record = owner_in(TransferState.DRAFT)
    record.record_visit(local(c.RecordVisit, visit=visit("V9", EntryOutcome.REFUSED)))
    with pytest.raises(ReviewEvidenceInvalidError):
        _complete(record, I.REVIEW_MEETING, visit_id="V9")


def test_the_review_meeting_at_the_police_station_needs_a_note() -> None:
    record = owner_in(TransferState.DRAFT)
    with pytest.raises(ReviewEvidenceInvalidError):
        _complete(record, I.REVIEW_MEETING, note=" ")
    _complete(record, I.REVIEW_MEETING, note="attended Leeds police station 3 March")
    assert record.transfer(TID).review.entry(I.REVIEW_MEETING) is not None


def test_the_two_person_item_needs_a_visit_meeting_the_rule() -> None:
    record = owner_in(TransferState.DRAFT)
    record.record_visit(local(c.RecordVisit, visit=visit("V9", two_people=False)))
    with pytest.raises(ReviewEvidenceInvalidError):
        _complete(record, I.TWO_PERSON_VISIT, visit_id="V9")
    with pytest.raises(ReviewEvidenceInvalidError):
        _complete(record, I.TWO_PERSON_VISIT, visit_id="V-missing")


def test_the_review_closes_once_notified() -> None:
    record = owner_in(TransferState.NOTIFIED)
    with pytest.raises(ReviewClosedError):
        _complete(record, I.MAPPA_LEAD_AGENCY_INFORMED)


def test_the_notification_carries_the_checklist_and_outcome() -> None:
    record = owner_in(TransferState.READY, MAPPA_RSO)
    record.notify(local(c.NotifyTransfer, transfer_id=TID))
    notified = record.events[-1]
    assert isinstance(notified, TransferNotified)
    assert {entry.item for entry in notified.review} == mandatory_items(MAPPA_RSO)
    assert notified.review_outcome == "outcome_recorded done"
    assert notified.profile == MAPPA_RSO
