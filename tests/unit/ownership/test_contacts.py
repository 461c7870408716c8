"""A contact the other force can call: a telephone number is required when it is given.

The wire carries each contact's telephone number (`phone`, digits and spaces, 6 to 20, an
optional leading +) and any email; a contact the wire could not carry is refused where it
is entered, not later when the notification is sent.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ownership.domain import commands as c
from ownership.domain.errors import InvalidDetailsError
from ownership.domain.values import TELEPHONE, Contact, check_contacts
from schemas.models.common import Contact as WireContact

from .builders import RECEIVER, REF, T0, TID, move, register


def test_a_contact_with_a_telephone_number_and_an_email_passes() -> None:
    check_contacts(
        Contact("DC Priya Shah", "MOSOVO officer", "GMP", "0161 555 0100", "ps@gmp.uk"),
        Contact("DC Lee Morgan", "MOSOVO officer", "WMP", "+44 121 555 0177"),
        None,
    )


@pytest.mark.parametrize("telephone", ["", "   ", "call the front desk", "12345", "0" * 21])
def test_a_contact_without_a_telephone_number_is_refused(telephone: str) -> None:
    with pytest.raises(InvalidDetailsError, match="needs a telephone number"):
        check_contacts(Contact("DC Priya Shah", "MOSOVO officer", "GMP", telephone))


def test_a_contact_with_an_email_that_is_not_one_is_refused() -> None:
    with pytest.raises(InvalidDetailsError, match="is not one"):
        check_contacts(Contact("DC Priya Shah", "MOSOVO officer", "GMP", "0161 555 0100", "x"))


@given(st.text(max_size=24))
def test_the_domain_takes_exactly_the_telephone_numbers_the_wire_carries(phone: str) -> None:
    wire_pattern = WireContact.model_fields["phone"].metadata[0].pattern
    assert bool(TELEPHONE.fullmatch(phone)) == bool(re.fullmatch(wire_pattern, phone))


def test_a_transfer_started_with_a_contact_nobody_can_call_is_refused_and_not_started() -> None:
    record = register()
    silent = Contact("DC Priya Shah", "MOSOVO officer", "GMP")
    details = replace(move(), contacts=(silent,))
    start = c.StartTransfer(
        reference=REF, by="officer", at=T0, transfer_id=TID, receiver=RECEIVER, details=details
    )
    with pytest.raises(InvalidDetailsError, match="needs a telephone number"):
        record.start_transfer(start)
    assert record.transfers == []


def test_a_stored_contact_without_a_telephone_still_loads() -> None:
    assert Contact("DC Priya Shah", "MOSOVO officer", "GMP").telephone == ""
