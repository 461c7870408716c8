"""Finding a record by national identity, for a force that asks by PNC ID or ViSOR reference.

A force where an offender registered unannounced may not know which force owns the record,
nor its reference there: it asks by the PNC ID and the ViSOR nominal reference instead. The
answer reveals only what reconciliation reveals: the reference, the owner and the epoch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ownership.domain.errors import InvalidDetailsError
from ownership.domain.identifiers import parse_pnc_id, parse_visor_reference
from ownership.domain.values import OffenderIdentity

if TYPE_CHECKING:  # the record's events name identities: no import cycle at run time
    from ownership.domain.record_core import RecordCore


@dataclass(frozen=True)
class IdentityKey:
    """An offender asked about by identity: a PNC ID, a ViSOR nominal reference, or both."""

    pnc_id: str | None = None
    visor_reference: str | None = None

    def __post_init__(self) -> None:
        if self.pnc_id is None and self.visor_reference is None:
            raise InvalidDetailsError("an identity needs a PNC ID or a ViSOR reference")


@dataclass(frozen=True)
class IdentityView:
    """What one force holds for an identity asked about: a record (reference, owner, epoch),
    or none."""

    asked: IdentityKey
    reference: str | None = None
    owner: str | None = None
    epoch: int | None = None

    @property
    def held(self) -> bool:
        """The answering force holds a record with this identity."""
        return self.reference is not None


def same_pnc_id(first: str, second: str) -> bool:
    """Whether two PNC IDs name the same record: ``98/123456G`` is ``1998/0123456G``."""
    return _pnc_key(first) == _pnc_key(second)


def _pnc_key(text: str) -> tuple[str, str, str] | None:
    try:
        candidate = parse_pnc_id(text)
    except InvalidDetailsError:
        return None
    year, rest = candidate.split("/")
    return year[-2:], rest[:-1].zfill(7), rest[-1]


def _same_visor(first: str, second: str) -> bool:
    try:
        return parse_visor_reference(first) == parse_visor_reference(second)
    except InvalidDetailsError:
        return False


def matches(identity: OffenderIdentity | None, asked: IdentityKey) -> bool:
    """Whether a record's identity is the one asked about: each identifier both name agrees,
    and at least one is named by both. A record whose identifier differs is not claimed."""
    if identity is None:
        return False
    pairs = [
        (identity.pnc_id, asked.pnc_id, same_pnc_id),
        (identity.visor_reference, asked.visor_reference, _same_visor),
    ]
    compared = [same(held, wanted) for held, wanted, same in pairs if held and wanted]
    return bool(compared) and all(compared)


def identity_view(records: Iterable[RecordCore], asked: IdentityKey) -> IdentityView:
    """The record this force holds for ``asked``: the one it owns if several match, else the
    first by reference; none if no record matches."""
    found = sorted(
        (r for r in records if matches(r.profile.identity, asked)),
        key=lambda r: (not r.is_owner, r.reference),
    )
    if not found:
        return IdentityView(asked)
    record = found[0]
    return IdentityView(asked, record.reference, record.owner, record.epoch)
