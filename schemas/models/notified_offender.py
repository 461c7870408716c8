"""The offender as `transfer.notified` 2.1 describes them: with the ViSOR nominal reference.

The class keeps the name `OffenderDetails` so that 2.1's schema is 2.0's with one optional
property added (the evolution rules compare the two by name).
"""

from __future__ import annotations

from pydantic import Field

from schemas.models import common


class OffenderDetails(common.OffenderDetails):
    """Who the offender is, in the least detail the receiving force needs to act."""

    visor_reference: str | None = Field(
        default=None,
        pattern=r"^[A-Z0-9][A-Z0-9/-]{3,19}$",
        description="The ViSOR nominal reference, where one is known (from 2.1).",
    )
