"""The shared enumeration tables (`wire_enums.tables`), inverted: wire member → domain member."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TypeVar

from ownership.domain import values as domain
from ownership.domain.absence import AbsenceSource
from ownership.domain.arrival import ArrivalCheck
from ownership.domain.held_views import Position
from ownership.domain.pending import WaitingFor
from ownership.domain.review_report import ReviewCheck, ReviewMethod, ReviewOutcome
from ownership.domain.transfer import CancelReason, DeclineReason, RefusalReason
from schemas.models import arrival as wire_arrival
from schemas.models import common as wire
from schemas.models import offender as wire_offender
from schemas.models import ownership as wire_ownership
from schemas.models import transfer as wire_transfer
from wire_enums import tables as out

D = TypeVar("D")
W = TypeVar("W")


def inverted(table: Mapping[D, W]) -> Mapping[W, D]:
    """The table read backwards; it must be one-to-one."""
    backwards = {wire_member: domain_member for domain_member, wire_member in table.items()}
    if len(backwards) != len(table):
        msg = "an enumeration table maps two domain members to one wire member"
        raise ValueError(msg)
    return MappingProxyType(backwards)


OFFENDER_CATEGORY: Final[Mapping[wire.OffenderCategory, domain.OffenderCategory]] = inverted(
    out.OFFENDER_CATEGORY
)
MAPPA_CATEGORY: Final[Mapping[int, domain.MappaCategory]] = inverted(out.MAPPA_CATEGORY)
MAPPA_LEVEL: Final[Mapping[int, domain.MappaLevel]] = inverted(out.MAPPA_LEVEL)
LEAD_AGENCY: Final[Mapping[wire.LeadAgency, domain.LeadAgency]] = inverted(out.LEAD_AGENCY)
RISK_LEVEL: Final[Mapping[wire.RiskLevel, domain.RiskLevel]] = inverted(out.RISK_LEVEL)
RISK_TOOL: Final[Mapping[wire.RiskTool, domain.RiskTool]] = inverted(out.RISK_TOOL)
REVIEW_METHOD: Final[Mapping[wire.ReviewMethod, ReviewMethod]] = inverted(out.REVIEW_METHOD)
REVIEW_OUTCOME: Final[Mapping[wire.ReviewOutcome, ReviewOutcome]] = inverted(out.REVIEW_OUTCOME)
REVIEW_CHECK: Final[Mapping[str, ReviewCheck]] = inverted(out.REVIEW_CHECK)
DECLINE_REASON: Final[Mapping[wire_transfer.DeclineReason, DeclineReason]] = inverted(
    out.DECLINE_REASON
)
CANCEL_REASON: Final[Mapping[wire_transfer.CancelReason, CancelReason]] = inverted(
    out.CANCEL_REASON
)
REFUSAL_REASON: Final[Mapping[wire_ownership.RefusalReason, RefusalReason]] = inverted(
    out.REFUSAL_REASON
)
ABSENCE_SOURCE: Final[Mapping[wire_offender.AbsenceSource, AbsenceSource]] = inverted(
    out.ABSENCE_SOURCE
)
ARRIVAL_CHECK: Final[Mapping[wire_arrival.ArrivalCheck, ArrivalCheck]] = inverted(out.ARRIVAL_CHECK)
OVERDUE: Final[Mapping[str, WaitingFor]] = MappingProxyType(
    {"acknowledgement": WaitingFor.ACKNOWLEDGEMENT, "acceptance": WaitingFor.ACCEPTANCE}
)
"""What a reminder says is overdue → what the transfer waits for (many-to-one outgoing)."""

POSITION: Final[Mapping[str, Position]] = inverted(out.POSITION)
