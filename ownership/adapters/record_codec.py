"""The offender record to and from the JSON kept in `offender_records.state`.

pydantic reads the domain's dataclasses (enums, dates, nested value objects) as they are,
so the domain needs no serialisation code of its own. `events` is never stored.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from ownership.domain.record import OffenderRecord


@cache
def _adapter() -> TypeAdapter[OffenderRecord]:
    return TypeAdapter(OffenderRecord)


def dump_record(record: OffenderRecord) -> str:
    """The record as a JSON document."""
    return _adapter().dump_json(record, exclude={"events"}).decode()


def load_record(document: str | dict[str, Any]) -> OffenderRecord:
    """The record from its JSON document."""
    if isinstance(document, str):
        return _adapter().validate_json(document)
    return _adapter().validate_python(document)
