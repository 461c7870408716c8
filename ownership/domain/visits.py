"""Visits to the offender, successful or not, and when a s.96B warrant may be considered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ownership.domain.errors import InvalidDetailsError
from ownership.domain.values import OffenderCategory

WARRANT_AUTHORITY = (
    "Entry to the premises has been sought and not obtained on at least two occasions: a "
    "warrant under "
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
    """The record's note that a s.96B warrant may be considered for one premises, and on
    which visits entry to it was sought and not obtained."""

    visit_ids: tuple[str, ...]
    address: str
    authority: str = WARRANT_AUTHORITY


def same_premises(address: str) -> str:
    """The premises an address names, for comparison: case, punctuation and spacing aside.

    "9 Old Road, York" and "9 old road york" are the same premises; "9 Old Road" and
    "11 Old Road" are not.
    """
    words = "".join(c if c.isalnum() else " " for c in address.casefold()).split()
    return " ".join(words)


def warrant_considerations(
    category: OffenderCategory, visits: Iterable[Visit]
) -> tuple[WarrantConsideration, ...]:
    """One s.96B note for each premises of a registered sex offender where entry was sought
    and not obtained on at least two occasions, in the order each reached two.

    Section 96B speaks of "the premises": failures at different addresses do not add up.
    """
    if category is not OffenderCategory.REGISTERED_SEX_OFFENDER:
        return ()
    failed: dict[str, list[Visit]] = {}
    reached: list[str] = []
    for visit in visits:
        if not visit.entry_not_obtained:
            continue
        at_premises = failed.setdefault(same_premises(visit.address), [])
        at_premises.append(visit)
        if len(at_premises) == 2:
            reached.append(same_premises(visit.address))
    return tuple(
        WarrantConsideration(tuple(v.visit_id for v in failed[key]), failed[key][0].address)
        for key in reached
    )


def warrant_consideration(
    category: OffenderCategory, visits: Iterable[Visit]
) -> WarrantConsideration | None:
    """The first s.96B note (see ``warrant_considerations``), or None."""
    notes = warrant_considerations(category, visits)
    return notes[0] if notes else None
