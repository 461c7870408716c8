"""Disclosure profiles as data: which wire fields each kind of recipient is sent, and why.

Details of offending are shared on a need-to-know basis (DPA 2018 Part 3, s.35 and s.36:
processing for a law enforcement purpose must be necessary and proportionate). A profile
names, per message type, the body fields a kind of recipient is sent, as paths: `review.method`
is one field, `offender` a whole section, `contacts[].phone` a field of every contact. A type
a profile does not list is sent whole (it carries nothing owner-only). A field the recipient's
schema version requires is always sent; an optional field outside the profile stays home.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class DisclosureProfile:
    """What one kind of recipient is sent, and the lawful basis for sending it."""

    name: str
    lawful_basis: str
    sends: Mapping[str, frozenset[str]]


_LAW_ENFORCEMENT = (
    "DPA 2018 Part 3, s.35 and s.36: law enforcement purposes (management of a registered"
    " offender moving force area); Home Office guidance on offenders moving force area"
)

RECEIVING_FORCE = DisclosureProfile(
    name="receiving_force",
    lawful_basis=_LAW_ENFORCEMENT,
    sends=MappingProxyType(
        {
            # Everything the receiving force needs to manage the offender; the owning
            # force's internal review notes stay home.
            "transfer.notified": frozenset(
                {
                    "offender", "mappa", "risk", "move", "safety", "contacts",
                    "review.method", "review.completed_on", "review.outcome",
                    "review.checklist", "interpreter_language", "registration_due_by",
                    "visor_reference",
                }
            ),
        }
    ),
)  # fmt: skip

_CONSULTATION = frozenset(
    {
        "offender.category", "offender.name", "offender.date_of_birth", "mappa", "risk.level",
        "move", "safety.officer_safety", "safety.threat_to_life", "contacts[].name",
        "contacts[].role", "contacts[].organisation", "contacts[].phone",
    }
)  # fmt: skip

SPECIALIST_UNIT = DisclosureProfile(
    name="specialist_unit",
    lawful_basis=(
        "DPA 2018 Part 3, s.35 and s.36: law enforcement purposes (risk consultation with a"
        " MAPPA lead agency, witness protection or another specialist unit named in the"
        " transfer; CJA 2003 s.325 duty to co-operate); Home Office guidance on offenders"
        " moving force area"
    ),
    sends=MappingProxyType(
        {
            # Who, where, how dangerous and whom to call: no PNC id, review, notes, e-mail.
            "transfer.notified": _CONSULTATION,
            "transfer.amended": frozenset({"revision", "reason"}) | _CONSULTATION,
        }
    ),
)

PROFILES: Mapping[str, DisclosureProfile] = MappingProxyType(
    {profile.name: profile for profile in (RECEIVING_FORCE, SPECIALIST_UNIT)}
)
DEFAULT_PROFILE = RECEIVING_FORCE.name
"""The profile of every recipient that settings do not name: a force taking the offender on."""
