"""What a head of unit asks: how fast each counterpart force answers, and how often in time.

Computed from the transfers' logged steps: when each was notified, acknowledged, accepted
and committed. A transfer is completed within the service level when it was committed, was
acknowledged within `acknowledge_days` of its notification and accepted within
`accept_days_after_move` of its expected move date (the domain's `ServiceLevels`, the same
the scheduler chases by). Median days are counted from the notification.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from ownership.domain.deadlines import ServiceLevels, days_after
from ownership.domain.record import OffenderRecord
from ownership.domain.states import Side, Step
from ownership.domain.transfer import Transfer

SECONDS_A_DAY = 86_400


@dataclass(frozen=True)
class Timings:
    """One notified transfer's milestones, as one force logged them."""

    peer: str
    outgoing: bool
    notified: datetime
    expected_move: date
    acknowledged: datetime | None
    accepted: datetime | None
    committed: datetime | None

    def days_to(self, moment: datetime | None) -> float | None:
        """Days from the notification to ``moment``, if it happened."""
        return None if moment is None else (moment - self.notified).total_seconds() / SECONDS_A_DAY

    def within(self, levels: ServiceLevels) -> bool:
        """Committed, acknowledged and accepted within the service levels."""
        ack, accept = self.acknowledged, self.accepted
        if self.committed is None or ack is None or accept is None:
            return False
        ack_by = days_after(self.notified.date(), levels.acknowledge_days)
        accept_by = days_after(self.expected_move, levels.accept_days_after_move)
        return ack.date() <= ack_by and accept.date() <= accept_by


@dataclass(frozen=True)
class Measure:
    """The figures for one counterpart force in one direction (or all, for the total)."""

    peer: str
    direction: str
    notified: int
    completed: int
    completed_in_time: int
    median_days_to_acknowledge: float | None
    median_days_to_accept: float | None

    @property
    def in_time_percent(self) -> int | None:
        """Completed within the service level, as a percentage of those completed."""
        return round(100 * self.completed_in_time / self.completed) if self.completed else None


def timings(transfer: Transfer) -> Timings | None:
    """The transfer's milestones, or None if it was never notified."""
    notified = _first(transfer, Step.NOTIFY)
    if notified is None:
        return None
    return Timings(
        transfer.peer,
        transfer.side is Side.OWNER,
        notified,
        transfer.details.expected_date,
        _first(transfer, Step.ACKNOWLEDGE),
        _first(transfer, Step.ACCEPT),
        _first(transfer, Step.COMMIT),
    )


def measures(
    records: Iterable[OffenderRecord], levels: ServiceLevels, since: date | None = None
) -> tuple[list[Measure], Measure]:
    """Per counterpart force and direction, for transfers notified on or after ``since``."""
    groups: defaultdict[tuple[str, bool], list[Timings]] = defaultdict(list)
    everything: list[Timings] = []
    for record in records:
        for transfer in record.transfers:
            found = timings(transfer)
            if found is not None and (since is None or found.notified.date() >= since):
                groups[found.peer, found.outgoing].append(found)
                everything.append(found)
    rows = [
        _measure(peer, "we sent" if outgoing else "we received", group, levels)
        for (peer, outgoing), group in sorted(groups.items(), key=_sent_first)
    ]
    return rows, _measure("all forces", "both", everything, levels)


def _measure(peer: str, direction: str, group: list[Timings], levels: ServiceLevels) -> Measure:
    completed = [t for t in group if t.committed is not None]
    return Measure(
        peer,
        direction,
        len(group),
        len(completed),
        sum(t.within(levels) for t in completed),
        _median(t.days_to(t.acknowledged) for t in group),
        _median(t.days_to(t.accepted) for t in group),
    )


def _sent_first(item: tuple[tuple[str, bool], list[Timings]]) -> tuple[str, bool]:
    (peer, outgoing), _ = item
    return peer, not outgoing


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(median(present), 1) if present else None


def _first(transfer: Transfer, step: Step) -> datetime | None:
    return next((s.at for s in transfer.steps if s.step is step), None)
