"""The receiving force's consultation on risk, response plans and threats to life.

It opens when the receiving force acknowledges a notification; ownership cannot be accepted
until it is recorded as done. A MAPPA case is not done until the lead agency has been heard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ownership.domain.errors import (
    ConsultationIncompleteError,
    ConsultationNotOpenError,
    InvalidDetailsError,
)


class PartyKind(StrEnum):
    """Who was consulted."""

    MAPPA_LEAD_AGENCY = "mappa_lead_agency"
    WITNESS_PROTECTION_UNIT = "witness_protection_unit"
    PROBATION = "probation"
    LOCAL_POLICING_TEAM = "local_policing_team"
    CHILDRENS_SERVICES = "childrens_services"
    VICTIM_LIAISON = "victim_liaison"
    OTHER = "other"


@dataclass(frozen=True)
class ConsultationParty:
    """A party affected by the move, and the outcome of consulting them."""

    party: str
    kind: PartyKind
    outcome: str
    consulted_by: str
    consulted_at: datetime


@dataclass
class Consultation:
    """The consultation opened on acknowledgement; parties are appended, never replaced."""

    opened_at: datetime
    opened_by: str
    parties: list[ConsultationParty] = field(default_factory=list)
    completed_at: datetime | None = None
    completed_by: str | None = None
    summary: str = ""

    @property
    def is_complete(self) -> bool:
        """Whether the consultation is recorded as done."""
        return self.completed_at is not None

    def record_party(self, party: ConsultationParty) -> None:
        """Add a consulted party and its outcome."""
        if self.is_complete:
            raise ConsultationNotOpenError("the consultation is already recorded as done")
        if not party.outcome.strip():
            raise InvalidDetailsError("a consultation party's outcome is recorded")
        self.parties.append(party)

    def complete(self, by: str, at: datetime, summary: str, *, mappa_case: bool) -> None:
        """Record the consultation as done, once everyone it needs has been heard."""
        if self.is_complete:
            raise ConsultationNotOpenError("the consultation is already recorded as done")
        if not self.parties:
            raise ConsultationIncompleteError("no party has been consulted")
        if mappa_case and not self._heard(PartyKind.MAPPA_LEAD_AGENCY):
            raise ConsultationIncompleteError("a MAPPA case needs the lead agency consulted")
        self.completed_at, self.completed_by, self.summary = at, by, summary

    def _heard(self, kind: PartyKind) -> bool:
        return any(p.kind is kind for p in self.parties)
