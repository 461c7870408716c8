"""The worklist shows when an acceptance's commit is due, not "none set"."""

from __future__ import annotations

from datetime import timedelta

from interforce.web.worklist import waiting_on, work_items
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.states import TransferState
from tests.unit.ownership.builders import OWNER, RECEIVER, TODAY, owner_in, receiver_in

LEVELS = ServiceLevels(commit_days=4, acceptance_valid_days=30)


def test_an_acceptance_waits_on_the_owner_with_the_commits_deadline() -> None:
    items = work_items([owner_in(TransferState.ACCEPTED)], TODAY, LEVELS)
    (item,) = waiting_on(items, OWNER, us=True)
    assert (item.waiting_for, item.deadline, item.overdue) == (
        "commit",
        TODAY + timedelta(days=4),
        False,
    )


def test_the_receiver_sees_the_owners_commit_overdue_after_its_deadline() -> None:
    later = TODAY + timedelta(days=6)
    items = work_items([receiver_in(TransferState.ACCEPTED)], later, LEVELS)
    (item,) = waiting_on(items, RECEIVER, us=False)
    assert (item.party, item.deadline, item.overdue, item.overdue_days) == (
        OWNER,
        TODAY + timedelta(days=4),
        True,
        2,
    )
