"""Visits to the offender, successful or not, and when a s.96B warrant may be considered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ownership.domain.errors import InvalidDetailsError
from ownership.domain.values import OffenderCategory

WARRANT_AUTHORITY = (
    "Entry has been sought and not obtained on at least two occasions: a warrant under "
    "section 96B of the Sexual Offences Act 2003 may be considered, applied for by an officer "
    "of at least the rank of superintendent."
)


class EntryOutcome(StrEnum):
    """Whether the visitors got into the home.

    ``REFUSED`` and ``NO_ANSWER`` both count as entry sought and not obtained, which is how
    s.96B words the condition for a warrant ("unable to obtain entry").
    """

    OBTAINED = "obtained"
    REFUSED = "refused"
    NO_ANSWER = "no_answer"
    NOT_SOUGHT = "not_sought"


@dataclass(frozen=True)
class Visitor:
    """An officer or member of staff on the visit."""

    officer_id: str
    name: str
    accredited_offender_manager: bool = False


@dataclass(frozen=True)
class Visit:
    """A visit as it happened; policy breaches are kept and shown, never dropped."""

    visit_id: str
    address: str
    risk_assessment: str
    risk_assessed_at: datetime
    visitors: tuple[Visitor, ...]
    started_at: datetime
    ended_at: datetime
    control_room_start_reported_at: datetime | None
    control_room_end_reported_at: datetime | None
    entry: EntryOutcome
    outcome: str
    officer_safety_issues: tuple[str, ...] = ()
    transfer_id: str | None = None

    def __post_init__(self) -> None:
        if not self.visitors:
            raise InvalidDetailsError("a visit has at least one visitor")
        if len({v.officer_id for v in self.visitors}) != len(self.visitors):
            raise InvalidDetailsError("a visitor is listed twice")
        if self.ended_at < self.started_at:
            raise InvalidDetailsError("a visit cannot end before it starts")
        if not self.risk_assessment.strip():
            raise InvalidDetailsError("a visit records its risk assessment")
        if self.risk_assessed_at > self.started_at:
            raise InvalidDetailsError("the risk assessment is made before the visit starts")

    @property
    def meets_two_person_rule(self) -> bool:
        """Two visitors, at least one an accredited offender manager."""
        return len(self.visitors) >= 2 and any(v.accredited_offender_manager for v in self.visitors)

    @property
    def entry_obtained(self) -> bool:
        """Whether the visitors got in."""
        return self.entry is EntryOutcome.OBTAINED

    @property
    def entry_not_obtained(self) -> bool:
        """Whether entry was sought and not obtained (refused, or no answer)."""
        return self.entry in {EntryOutcome.REFUSED, EntryOutcome.NO_ANSWER}

    def compliance_issues(self) -> tuple[str, ...]:
        """The ways this visit departed from the guidance, for the audit trail."""
        issues = []
        if not self.meets_two_person_rule:
            issues.append("not two visitors with an accredited offender manager")
        if self.control_room_start_reported_at is None:
            issues.append("start not reported to the force control room")
        if self.control_room_end_reported_at is None:
            issues.append("end not reported to the force control room")
        return tuple(issues)


@dataclass(frozen=True)
class WarrantConsideration:
    """The record's note that a s.96B warrant may be considered, and on which visits."""

    visit_ids: tuple[str, ...]
    authority: str = WARRANT_AUTHORITY


def warrant_consideration(
    category: OffenderCategory, visits: Iterable[Visit]
) -> WarrantConsideration | None:
    """A s.96B note once entry to a registered sex offender's home failed twice, else None."""
    if category is not OffenderCategory.REGISTERED_SEX_OFFENDER:
        return None
    failed = tuple(v.visit_id for v in visits if v.entry_not_obtained)
    return WarrantConsideration(failed) if len(failed) >= 2 else None
