"""The offender's identity from the command line: name, date of birth and the national ids."""

from __future__ import annotations

from datetime import date

import typer

from ownership.domain.errors import InvalidDetailsError
from ownership.domain.identifiers import parse_pnc_id, parse_visor_reference
from ownership.domain.values import OffenderIdentity


def identity_of(
    family_name: str, given_names: str, born: date, pnc: str | None, visor: str | None
) -> OffenderIdentity:
    """Who the offender is, with the PNC ID (its check letter checked) and the ViSOR nominal
    reference parsed; a malformed one is a usage error (exit 2)."""
    try:
        return OffenderIdentity(
            family_name, given_names, born,
            parse_pnc_id(pnc) if pnc else None,
            parse_visor_reference(visor) if visor else None,
        )  # fmt: skip
    except InvalidDetailsError as error:
        raise typer.BadParameter(str(error)) from error
