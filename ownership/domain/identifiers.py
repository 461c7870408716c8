"""The national identifiers a force finds an offender by: PNC ID and ViSOR nominal reference.

A PNC ID is written ``YY/NNNNNNNL`` (or with a four-digit year, ``YYYY/NNNNNNNL``): the year
the record was created, a serial number of up to seven digits and a check letter. The check
letter is the remainder of the two-digit year followed by the serial number padded to seven
digits, divided by 23, read from ``ZABCDEFGHJKLMNPQRTUVWXY`` (I, O and S are never used, Z is
remainder 0), the rule the Ministry of Justice's person-record service applies.

The format of a ViSOR nominal reference is not published; only its shape is checked: four to
twenty capitals, digits, hyphens or slashes, beginning with a capital or a digit and holding
at least one digit.
"""

from __future__ import annotations

import re

from ownership.domain.errors import InvalidDetailsError

PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
"""The check letter for each remainder modulo 23."""

_PNC = re.compile(r"([0-9]{2}|[0-9]{4})/([0-9]{1,7})([A-Z])")
_VISOR = re.compile(r"[A-Z0-9][A-Z0-9/-]{3,19}")


def pnc_check_letter(year: str, serial: str) -> str:
    """The check letter of the PNC ID with this year (two or four digits) and serial."""
    return PNC_CHECK_LETTERS[int(year[-2:] + serial.zfill(7)) % len(PNC_CHECK_LETTERS)]


def parse_pnc_id(text: str) -> str:
    """The PNC ID ``text`` names, upper-cased; ``InvalidDetailsError`` if it is malformed or
    its check letter is wrong."""
    candidate = text.strip().upper()
    match = _PNC.fullmatch(candidate)
    if match is None:
        raise InvalidDetailsError(f"{text!r} is not a PNC ID (YY/NNNNNNNL)")
    year, serial, letter = match.groups()
    expected = pnc_check_letter(year, serial)
    if letter != expected:
        raise InvalidDetailsError(f"PNC ID {candidate} should end in {expected}, not {letter}")
    return candidate


def parse_visor_reference(text: str) -> str:
    """The ViSOR nominal reference ``text`` names, upper-cased; ``InvalidDetailsError`` if it
    does not have the shape of one."""
    candidate = text.strip().upper()
    if _VISOR.fullmatch(candidate) is None or not any(ch.isdigit() for ch in candidate):
        raise InvalidDetailsError(f"{text!r} is not a ViSOR nominal reference")
    return candidate
