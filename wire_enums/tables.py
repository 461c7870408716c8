"""Explicit tables between the domain's enumerations and the wire's, domain side first.

Every member of each domain enumeration is a key (a test fails otherwise), and the consumer
inverts the same tables, so a member added on either side without a row is caught.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

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

MappaCategoryNumber = Literal[1, 2, 3, 4]
MappaLevelNumber = Literal[1, 2, 3]
Overdue = Literal["acknowledgement", "acceptance"]
HeldPosition = Literal["owned", "transfer_pending", "transferred_away"]

OFFENDER_CATEGORY: Final[Mapping[domain.OffenderCategory, wire.OffenderCategory]] = (
    MappingProxyType(
        {
            domain.OffenderCategory.REGISTERED_SEX_OFFENDER: (
                wire.OffenderCategory.REGISTERED_SEX_OFFENDER
            ),
            domain.OffenderCategory.VIOLENT_OFFENDER: wire.OffenderCategory.VIOLENT_OFFENDER,
            domain.OffenderCategory.POTENTIALLY_DANGEROUS_PERSON: (
                wire.OffenderCategory.POTENTIALLY_DANGEROUS_PERSON
            ),
        }
    )
)
MAPPA_CATEGORY: Final[Mapping[domain.MappaCategory, MappaCategoryNumber]] = MappingProxyType(
    {
        domain.MappaCategory.ONE: 1,
        domain.MappaCategory.TWO: 2,
        domain.MappaCategory.THREE: 3,
        domain.MappaCategory.FOUR: 4,
    }
)
MAPPA_LEVEL: Final[Mapping[domain.MappaLevel, MappaLevelNumber]] = MappingProxyType(
    {domain.MappaLevel.ONE: 1, domain.MappaLevel.TWO: 2, domain.MappaLevel.THREE: 3}
)
LEAD_AGENCY: Final[Mapping[domain.LeadAgency, wire.LeadAgency]] = MappingProxyType(
    {
        domain.LeadAgency.POLICE: wire.LeadAgency.POLICE,
        domain.LeadAgency.PROBATION: wire.LeadAgency.PROBATION,
        domain.LeadAgency.PRISON_SERVICE: wire.LeadAgency.PRISON_SERVICE,
        domain.LeadAgency.YOUTH_JUSTICE_SERVICE: wire.LeadAgency.YOUTH_JUSTICE_SERVICE,
    }
)
RISK_LEVEL: Final[Mapping[domain.RiskLevel, wire.RiskLevel]] = MappingProxyType(
    {
        domain.RiskLevel.LOW: wire.RiskLevel.LOW,
        domain.RiskLevel.MEDIUM: wire.RiskLevel.MEDIUM,
        domain.RiskLevel.HIGH: wire.RiskLevel.HIGH,
        domain.RiskLevel.VERY_HIGH: wire.RiskLevel.VERY_HIGH,
    }
)
RISK_TOOL: Final[Mapping[domain.RiskTool, wire.RiskTool]] = MappingProxyType(
    {
        domain.RiskTool.ARMS: wire.RiskTool.ARMS,
        domain.RiskTool.RISK_MATRIX_2000: wire.RiskTool.RISK_MATRIX_2000,
        domain.RiskTool.OASYS_ROSH: wire.RiskTool.OASYS_ROSH,
        domain.RiskTool.OTHER: wire.RiskTool.OTHER,
    }
)
REVIEW_METHOD: Final[Mapping[ReviewMethod, wire.ReviewMethod]] = MappingProxyType(
    {
        ReviewMethod.HOME_VISIT: wire.ReviewMethod.HOME_VISIT,
        ReviewMethod.STATION_ATTENDANCE: wire.ReviewMethod.STATION_ATTENDANCE,
    }
)
REVIEW_OUTCOME: Final[Mapping[ReviewOutcome, wire.ReviewOutcome]] = MappingProxyType(
    {
        ReviewOutcome.NO_CONCERNS: wire.ReviewOutcome.NO_CONCERNS,
        ReviewOutcome.CONCERNS_IDENTIFIED: wire.ReviewOutcome.CONCERNS_IDENTIFIED,
    }
)
REVIEW_CHECK: Final[Mapping[ReviewCheck, str]] = MappingProxyType(
    {
        ReviewCheck.IDENTITY_CONFIRMED: "identity_confirmed",
        ReviewCheck.NEW_ADDRESS_VERIFIED: "new_address_verified",
        ReviewCheck.RISK_ASSESSMENT_UPDATED: "risk_assessment_updated",
        ReviewCheck.MAPPA_LEAD_AGENCY_INFORMED: "mappa_lead_agency_informed",
        ReviewCheck.RECEIVING_FORCE_CONSULTED: "receiving_force_consulted",
        ReviewCheck.SAFEGUARDING_REFERRALS_MADE: "safeguarding_referrals_made",
        ReviewCheck.VISOR_RECORD_UPDATED: "visor_record_updated",
    }
)
"""Each guidance check → the field of the wire's `ReviewChecklist` that says it was made."""

DECLINE_REASON: Final[Mapping[DeclineReason, wire_transfer.DeclineReason]] = MappingProxyType(
    {
        DeclineReason.NOT_OURS: wire_transfer.DeclineReason.NOT_OUR_AREA,
        DeclineReason.INSUFFICIENT_INFORMATION: (
            wire_transfer.DeclineReason.INSUFFICIENT_INFORMATION
        ),
        DeclineReason.ADDRESS_NOT_VERIFIED: wire_transfer.DeclineReason.ADDRESS_NOT_VERIFIED,
        DeclineReason.DUPLICATE_TRANSFER: wire_transfer.DeclineReason.DUPLICATE_TRANSFER,
        DeclineReason.OTHER: wire_transfer.DeclineReason.OTHER,
    }
)
CANCEL_REASON: Final[Mapping[CancelReason, wire_transfer.CancelReason]] = MappingProxyType(
    {
        CancelReason.MOVE_ABANDONED: wire_transfer.CancelReason.MOVE_ABANDONED,
        CancelReason.OFFENDER_IN_CUSTODY: wire_transfer.CancelReason.OFFENDER_IN_CUSTODY,
        CancelReason.OFFENDER_DECEASED: wire_transfer.CancelReason.OFFENDER_DECEASED,
        CancelReason.NOTIFIED_IN_ERROR: wire_transfer.CancelReason.NOTIFIED_IN_ERROR,
        CancelReason.OTHER: wire_transfer.CancelReason.OTHER,
    }
)
REFUSAL_REASON: Final[Mapping[RefusalReason, wire_ownership.RefusalReason]] = MappingProxyType(
    {
        RefusalReason.TRANSFER_CANCELLED: wire_ownership.RefusalReason.TRANSFER_CANCELLED,
        RefusalReason.TRANSFER_SUPERSEDED: wire_ownership.RefusalReason.TRANSFER_SUPERSEDED,
        RefusalReason.TRANSFER_UNKNOWN: wire_ownership.RefusalReason.TRANSFER_UNKNOWN,
        RefusalReason.EPOCH_STALE: wire_ownership.RefusalReason.EPOCH_STALE,
    }
)
ABSENCE_SOURCE: Final[Mapping[AbsenceSource, wire_offender.AbsenceSource]] = MappingProxyType(
    {
        AbsenceSource.HOME_VISIT: wire_offender.AbsenceSource.HOME_VISIT,
        AbsenceSource.NEIGHBOUR: wire_offender.AbsenceSource.NEIGHBOUR,
        AbsenceSource.LANDLORD: wire_offender.AbsenceSource.LANDLORD,
        AbsenceSource.OTHER_AGENCY: wire_offender.AbsenceSource.OTHER_AGENCY,
        AbsenceSource.OFFENDER: wire_offender.AbsenceSource.OFFENDER,
        AbsenceSource.OTHER: wire_offender.AbsenceSource.OTHER,
    }
)
ARRIVAL_CHECK: Final[Mapping[ArrivalCheck, wire_arrival.ArrivalCheck]] = MappingProxyType(
    {
        ArrivalCheck.ADDRESS_VISITED: wire_arrival.ArrivalCheck.ADDRESS_VISITED,
        ArrivalCheck.TELEPHONED: wire_arrival.ArrivalCheck.TELEPHONED,
        ArrivalCheck.RECORDS_CHECKED: wire_arrival.ArrivalCheck.RECORDS_CHECKED,
        ArrivalCheck.AGENCIES_CONTACTED: wire_arrival.ArrivalCheck.AGENCIES_CONTACTED,
        ArrivalCheck.OTHER: wire_arrival.ArrivalCheck.OTHER,
    }
)
OVERDUE: Final[Mapping[WaitingFor, Overdue | None]] = MappingProxyType(
    {
        WaitingFor.REVIEW: None,
        WaitingFor.NOTIFICATION: None,
        WaitingFor.ACKNOWLEDGEMENT: "acknowledgement",
        # Consultation is the receiver's road to acceptance: what the owner awaits is that.
        WaitingFor.CONSULTATION: "acceptance",
        WaitingFor.ACCEPTANCE: "acceptance",
        # The commit completes the acceptance: transfer.reminder 1.1's `awaiting` names it.
        WaitingFor.COMMIT: "acceptance",
        WaitingFor.RETURN: None,
        WaitingFor.ANSWER: None,
    }
)
"""What a reminder chases, by what the transfer waits for; None: no reminder on the wire."""

POSITION: Final[Mapping[Position, HeldPosition]] = MappingProxyType(
    {
        Position.OWNED: "owned",
        Position.TRANSFER_PENDING: "transfer_pending",
        Position.TRANSFERRED_AWAY: "transferred_away",
    }
)
"""A force's own position on a record, as an ``ownership.status`` reports it."""

ENUM_TABLES: Final[Mapping[str, Mapping[Any, Any]]] = MappingProxyType(
    {
        "offender category": OFFENDER_CATEGORY,
        "MAPPA category": MAPPA_CATEGORY,
        "MAPPA level": MAPPA_LEVEL,
        "lead agency": LEAD_AGENCY,
        "risk level": RISK_LEVEL,
        "risk tool": RISK_TOOL,
        "review method": REVIEW_METHOD,
        "review outcome": REVIEW_OUTCOME,
        "review check": REVIEW_CHECK,
        "decline reason": DECLINE_REASON,
        "cancel reason": CANCEL_REASON,
        "refusal reason": REFUSAL_REASON,
        "absence source": ABSENCE_SOURCE,
        "arrival check": ARRIVAL_CHECK,
        "overdue": OVERDUE,
        "position": POSITION,
    }
)
"""Every table by name, for the completeness test."""
