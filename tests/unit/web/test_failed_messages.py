"""A message that could never be sent makes its step failed, never waiting: on the worklist,
in `pending`, as its own row when no step waits on it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from interforce.cli.failed import failed_lines, unmatched_rows
from interforce.cli.records import Row
from interforce.web.worklist import not_failed, waiting_on, work_items
from ownership.adapters.views import FailedMessage, failure_of
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.record import OffenderRecord
from tests.support.caseload import FORCE, NOW, PLAIN_OVERDUE, caseload

LEVELS = ServiceLevels()


def _failed(reference: str | None, transfer_id: str | None, recipient: str) -> FailedMessage:
    return FailedMessage(
        message_id="0b9a7c1e-0000-4000-8000-000000000001",
        offender_reference=reference,
        recipient=recipient,
        message_type="transfer.notified",
        transfer_id=transfer_id,
        failure="no version of transfer.notified that WYP reads",
        created_at=NOW,
    )


async def _records() -> list[OffenderRecord]:
    return list((await caseload()).uow.store.values())


async def test_a_step_whose_message_failed_is_not_waiting_on_the_worklist() -> None:
    items = work_items(await _records(), NOW.date(), LEVELS)
    plain = next(i for i in waiting_on(items, FORCE, us=False) if i.reference == PLAIN_OVERDUE)
    failed = [_failed(plain.reference, plain.transfer_id, plain.party)]
    still = not_failed(items, failed)
    assert plain not in still
    assert len(still) == len(items) - 1


async def test_a_failed_message_to_another_force_leaves_the_step_waiting() -> None:
    items = work_items(await _records(), NOW.date(), LEVELS)
    plain = next(i for i in items if i.reference == PLAIN_OVERDUE)
    assert not_failed(items, [_failed(plain.reference, plain.transfer_id, "NOBODY")]) == items


def test_the_latest_failed_message_of_the_step_is_the_one_named() -> None:
    first = _failed("R1", "T1", "WYP")
    later = replace(first, message_id="later", message_type="transfer.amended")
    assert failure_of([first, later], "R1", "T1", "WYP") == later
    assert failure_of([first, later], "R1", "T2", "WYP") is None


async def test_pending_rows_say_failed_and_why() -> None:
    records = await _records()
    record = next(r for r in records if r.reference == PLAIN_OVERDUE)
    item = record.pending(NOW.date())[0]
    message = _failed(item.reference, item.transfer_id, item.party)
    row = Row(item, None, False, None, failed=message)
    as_dict = row.as_dict()
    assert as_dict["status"] == "failed"
    assert as_dict["failure"]["failure"] == message.failure
    assert Row(item, None, False, None).as_dict()["status"] == "waiting"
    lines = list(failed_lines([row], []))
    assert lines[0].startswith(f"FAILED  {item.reference} transfer.notified to {item.party}")


def test_a_failed_message_no_step_waits_on_is_a_row_of_its_own() -> None:
    message = replace(_failed("R9", None, "XYZ"), message_type="offender.absent")
    rows = unmatched_rows([], [message], None)
    assert [(r["status"], r["reference"], r["party"]) for r in rows] == [("failed", "R9", "XYZ")]
    assert unmatched_rows([], [message], "wmp") == []
    assert unmatched_rows([], [message], "xyz") == rows
    assert "offender.absent to XYZ could never be sent" in next(failed_lines([], rows))


def test_rows_are_dated() -> None:
    since = _failed("R", "T", "F").as_dict()["since"]
    assert since is not None
    assert date.fromisoformat(since[:10]) == NOW.date()
