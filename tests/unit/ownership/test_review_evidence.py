"""What each review item needs as evidence, how the review method is told, what is pending.

Each refusal is matched whole (a coordinator reads it); each pending item is written out.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from ownership.domain.errors import (
    DomainError,
    ReviewEvidenceInvalidError,
    ReviewItemAlreadyCompleteError,
)
from ownership.domain.history import TemporaryMove
from ownership.domain.pending import PendingItem, WaitingFor
from ownership.domain.review import ReviewChecklist, ReviewEntry, ReviewItem
from ownership.domain.review import ReviewItem as I
from ownership.domain.review_report import (
    ReviewMethod,
    ReviewOutcome,
    report_review,
    review_method,
)
from ownership.domain.states import TransferState
from ownership.domain.visits import EntryOutcome, Visit

from .builders import OWNER, RECEIVER, REF, T0, TID, TODAY, at, move, owner_in, visit

S = TransferState


def refused(error: type[DomainError], text: str) -> Any:
    """Expect exactly this refusal, its whole text."""
    return pytest.raises(error, match=f"^{re.escape(text)}$")


def entry(item: ReviewItem, note: str = "done", visit_id: str | None = None) -> ReviewEntry:
    return ReviewEntry(item, "officer", T0, note, visit_id)


@pytest.mark.parametrize(
    ("item", "visit_id", "found", "text"),
    [
        (I.VISOR_CHECKED, "V9", None, "no visit V9 is recorded"),
        (
            I.REVIEW_MEETING,
            "V1",
            visit("V1", EntryOutcome.REFUSED),
            "a home visit reviews the offender only if it got in",
        ),
        (I.TWO_PERSON_VISIT, None, None, "the two-person visit item names the visit"),
        (
            I.TWO_PERSON_VISIT,
            "V1",
            visit("V1", two_people=False),
            "the visit needs two visitors, one an accredited offender manager",
        ),
    ],
)
def test_a_review_item_is_refused_without_its_evidence(
    item: ReviewItem, visit_id: str | None, found: Visit | None, text: str
) -> None:
    checklist = ReviewChecklist()
    with refused(ReviewEvidenceInvalidError, text):
        checklist.complete(entry(item, visit_id=visit_id), found)
    assert checklist.entries == []


@pytest.mark.parametrize(
    ("item", "what"),
    [
        (I.REVIEW_MEETING, "how the offender attended the police station"),
        (I.OUTCOME_RECORDED, "the outcome and with whom it was discussed"),
        (I.OUTCOME_DISCUSSED, "the outcome and with whom it was discussed"),
    ],
)
def test_an_item_without_a_visit_needs_a_note_saying_what(item: ReviewItem, what: str) -> None:
    with refused(ReviewEvidenceInvalidError, f"{item} needs a note: {what}"):
        ReviewChecklist().complete(entry(item, note="  "), None)
    ReviewChecklist().complete(entry(item, note="at the station, by appointment"), None)


def test_other_items_may_be_done_without_a_note() -> None:
    checklist = ReviewChecklist()
    checklist.complete(entry(I.PNC_CHECKED, note=""), None)
    assert [e.item for e in checklist.entries] == [I.PNC_CHECKED]


def test_an_item_is_completed_once() -> None:
    checklist = ReviewChecklist()
    checklist.complete(entry(I.PNC_CHECKED), None)
    with refused(ReviewItemAlreadyCompleteError, f"{I.PNC_CHECKED} is already complete"):
        checklist.complete(entry(I.PNC_CHECKED, note="again"), None)
    assert len(checklist.entries) == 1


@pytest.mark.parametrize(
    ("entries", "method"),
    [
        ([entry(I.REVIEW_MEETING, visit_id="V1")], ReviewMethod.HOME_VISIT),
        ([entry(I.REVIEW_MEETING, note="came to the station")], ReviewMethod.STATION_ATTENDANCE),
        ([entry(I.TWO_PERSON_VISIT, visit_id="V1")], ReviewMethod.HOME_VISIT),
        (
            [entry(I.TWO_PERSON_VISIT, visit_id="V1"), entry(I.REVIEW_MEETING, note="station")],
            ReviewMethod.STATION_ATTENDANCE,
        ),
        ([entry(I.PNC_CHECKED)], None),
    ],
)
def test_the_review_method_is_read_from_the_meeting_then_the_visit(
    entries: list[ReviewEntry], method: ReviewMethod | None
) -> None:
    assert review_method(ReviewChecklist(entries)) is method


def test_a_report_without_a_recorded_outcome_has_empty_notes() -> None:
    checklist = ReviewChecklist([entry(I.REVIEW_MEETING, visit_id="V1")])
    report = report_review(checklist, ReviewOutcome.NO_CONCERNS)
    assert report is not None
    assert report.notes == ""


def test_a_live_transfer_is_pending_with_who_must_act_since_when() -> None:
    record = owner_in(S.NOTIFIED)
    assert record.pending(TODAY) == (
        PendingItem(REF, TID, S.NOTIFIED, WaitingFor.ACKNOWLEDGEMENT, RECEIVER, T0, None, False),
    )


def test_an_acceptance_is_pending_until_the_move_date_and_overdue_after() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    expected = move().expected_date
    (on_the_day,) = record.pending(expected)
    (after,) = record.pending(expected + timedelta(days=1))
    assert (on_the_day.due, on_the_day.overdue, after.overdue) == (expected, False, True)
    assert (on_the_day.reference, on_the_day.party) == (REF, RECEIVER)


def test_a_temporary_moves_return_is_pending_after_the_transfers() -> None:
    end = TODAY + timedelta(days=3)
    record = owner_in(S.NOTIFIED)
    record.temporary_move = TemporaryMove("T0", OWNER, RECEIVER, end)
    items = record.pending(end + timedelta(days=1))
    assert items[1:] == (
        PendingItem(REF, "T0", None, WaitingFor.RETURN, RECEIVER, None, end, True),
    )
    assert record.pending(end)[1].overdue is False
    assert items[0].since == at(0)
