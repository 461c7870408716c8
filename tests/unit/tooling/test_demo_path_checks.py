"""The demo's end checks say which path did not end where it should, and the table's status.

The checks read records through the stage; here a stage of fixed records stands in for the
running federation, and the records are built by the domain as the nodes would build them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest

from ownership.domain import commands as c
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState
from tests.unit.ownership.builders import OWNER, REF, TID, local, owner_in
from tests.unit.ownership.test_failure_to_arrive import failure
from tests.unit.ownership.test_handover_by_hand import PSOS, SCOTLAND, _accepted_record
from tooling.demo import path_checks as check
from tooling.demo.stage import Stage


class Records:
    """A stage that holds one force's record of one offender."""

    def __init__(self, force: str, record: OffenderRecord) -> None:
        self._held = {(force, record.reference): record}

    async def record(self, force: str, reference: str) -> OffenderRecord | None:
        return self._held.get((force, reference))


def stage_of(record: OffenderRecord) -> Stage:
    return cast(Stage, Records(OWNER, record))


def never_arrived() -> OffenderRecord:
    record = owner_in(TransferState.ACKNOWLEDGED)
    record.receive_failure_to_arrive(failure())
    return record


def handed_to_scotland() -> OffenderRecord:
    record = _accepted_record()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    return record


async def test_a_failure_to_arrive_ends_whereabouts_unknown_at_the_owner() -> None:
    ends = check.whereabouts_unknown(REF, TID, OWNER)
    assert await ends(stage_of(never_arrived())) == []
    [failed] = await ends(stage_of(owner_in(TransferState.ACKNOWLEDGED)))
    assert failed.startswith(f"{REF}: not whereabouts unknown at {OWNER}")


async def test_a_hand_over_ends_managed_by_the_authority_and_closed_to_moves() -> None:
    ends = check.managed_by(REF, OWNER, PSOS, SCOTLAND)
    assert await ends(stage_of(handed_to_scotland())) == []
    [failed] = await ends(stage_of(_accepted_record()))  # accepted, never committed
    assert failed.endswith(f"not managed by {SCOTLAND} and closed to moves")


async def test_a_record_the_stage_does_not_hold_is_named() -> None:
    ends = check.managed_by("VIS-9999", OWNER, PSOS, SCOTLAND)
    with pytest.raises(LookupError, match=f"^VIS-9999: {OWNER} holds no record$"):
        await ends(stage_of(handed_to_scotland()))


def test_the_table_says_whereabouts_unknown_and_managed_by_where_they_apply() -> None:
    now = datetime.now(UTC)
    assert check.status_text(never_arrived(), now) == "whereabouts unknown"
    assert check.status_text(handed_to_scotland(), now) == f"managed by {SCOTLAND}"
    assert check.status_text(owner_in(TransferState.ACKNOWLEDGED), now) == ""
