"""Where an offender lives or can be found: a postal address, or a place regularly found."""

from __future__ import annotations

from dataclasses import dataclass

from ownership.domain.errors import InvalidDetailsError


@dataclass(frozen=True)
class Address:
    """A postal address: street lines (most specific first), post town and postcode."""

    lines: tuple[str, ...]
    town: str
    postcode: str

    def __post_init__(self) -> None:
        if not 1 <= len(self.lines) <= 4:
            raise InvalidDetailsError("an address has one to four street lines")

    def __str__(self) -> str:
        return ", ".join((*self.lines, self.town, self.postcode))


@dataclass(frozen=True)
class RegularPlace:
    """Where someone with no fixed address can regularly be found, and when."""

    description: str
    town: str
    postcode: str | None = None

    def __str__(self) -> str:
        return ", ".join(part for part in (self.description, self.town, self.postcode) if part)
