"""What a force holds for one offender, as reconciliation exchanges and compares it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ownership.domain.history import ConflictKind


class Position(StrEnum):
    """The answering force's own position on a record."""

    OWNED = "owned"
    TRANSFER_PENDING = "transfer_pending"
    TRANSFERRED_AWAY = "transferred_away"


@dataclass(frozen=True)
class HeldView:
    """What one force holds for one offender: nothing, or an owner at an epoch."""

    reference: str
    known: bool
    owner: str | None = None
    epoch: int | None = None
    position: Position | None = None


@dataclass(frozen=True)
class Discrepancy:
    """A disagreement about who owns a record, as this force's view sees it."""

    kind: ConflictKind
    epoch: int
    held_owner: str
    claimed_owner: str | None
