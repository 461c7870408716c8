"""The messages `interforce pending` lists as failed: they could never be sent.

A step of a transfer that waits on a force which never got our message is failed, not
waiting: the relay set the message aside (its recipient unknown, or reading no version that
can carry it) and no retry will send it. A failed message that no step waits on (an absence
notice, a reminder, a cancellation) is listed too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interforce.cli.records import Row
    from ownership.adapters.views import FailedMessage


def unmatched_rows(
    rows: Sequence[Row], failed: Sequence[FailedMessage], party: str | None
) -> list[dict[str, Any]]:
    """The failed messages no pending row accounts for, as rows of their own."""
    claimed = {row.failed.message_id for row in rows if row.failed is not None}
    wanted = party.upper() if party else None
    return [
        {
            "status": "failed",
            "failure": message.as_dict(),
            "reference": message.offender_reference,
            "transfer_id": message.transfer_id,
            "waiting_for": None,
            "party": message.recipient,
            "state": None,
            "since": message.created_at.isoformat(),
            "due": None,
            "overdue": False,
            "escalated_to": None,
        }
        for message in failed
        if message.message_id not in claimed and wanted in {None, message.recipient}
    ]


def failed_lines(rows: Sequence[Row], unmatched: Sequence[dict[str, Any]]) -> Iterator[str]:
    """One FAILED line for each failed row and each failed message no row accounts for."""
    for row in rows:
        if row.failed is not None:
            yield (
                f"FAILED  {row.item.reference} {row.failed.message_type} to {row.failed.recipient}"
                f" could never be sent ({row.failed.failure}); {row.item.waiting_for} by"
                f" {row.item.party} cannot come [{row.item.transfer_id}]"
            )
    for item in unmatched:
        failure = item["failure"]
        yield (
            f"FAILED  {item['reference'] or '-'} {failure['message_type']} to {item['party']}"
            f" could never be sent ({failure['failure']}) [{item['transfer_id'] or '-'}]"
        )
