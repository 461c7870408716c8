"""A request for a transfer and its refusal, over the real wire and back into commands."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.identifiers import pnc_check_letter
from ownership.domain.requests import ArrivalRegistration, RequestDeclineReason
from ownership.domain.values import OffenderIdentity
from schemas.errors import BodyInvalid

from .samples import ADDRESS, CAUSE, PROFILE, REF, REPORT, T0, TID, contact, details, owner_record
from .wire import carry

OWNER, REQUESTER = "GMP", "WMP"
REQUEST_ID = "5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5"
PNC = f"98/123456{pnc_check_letter('98', '123456')}"
IDENTITY = OffenderIdentity("Example", "Alan James", date(1979, 3, 14), PNC, "VN-0042137")


def _requested(identity: OffenderIdentity = IDENTITY) -> e.TransferRequested:
    return e.TransferRequested(
        reference=REF, force=REQUESTER, at=T0, recipient=OWNER, transfer_id=None, epoch=0,
        request_id=REQUEST_ID,
        registration=ArrivalRegistration(date(2025, 3, 1), ADDRESS, identity, contact("WMP")),
    )  # fmt: skip


def test_transfer_requested_carries_the_registration_and_both_identifiers() -> None:
    event = _requested()
    result = carry(None, event)
    assert result.outbox.epoch is None
    assert result.received.envelope.epoch is None
    assert result.received.envelope.transferid is None
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferRequested)
    assert (cmd.reference, cmd.sender, cmd.recipient, cmd.epoch) == (REF, REQUESTER, OWNER, 0)
    assert (cmd.request_id, cmd.registration) == (REQUEST_ID, event.registration)


def test_transfer_requested_without_identifiers_is_understood() -> None:
    bare = replace(IDENTITY, pnc_id=None, visor_reference=None)
    cmd = carry(None, _requested(bare)).command
    assert isinstance(cmd, c.ReceiveTransferRequested)
    assert cmd.registration.identity == bare


def test_a_pnc_id_with_the_wrong_check_letter_is_refused_as_an_invalid_body() -> None:
    wrong = "98/123456B"
    assert pnc_check_letter("98", "123456") != "B"
    with pytest.raises(BodyInvalid, match="should end in"):
        carry(None, _requested(replace(IDENTITY, pnc_id=wrong)))


def test_request_declined_carries_the_reason_and_the_owner_known() -> None:
    event = e.TransferRequestDeclined(
        reference=REF, force=OWNER, at=T0, recipient=REQUESTER, transfer_id=None, epoch=0,
        causation_id=CAUSE, request_id=REQUEST_ID, reason=RequestDeclineReason.NOT_OWNER,
        text="GMP does not own the record: MPS does", owner="MPS", owner_epoch=3,
    )  # fmt: skip
    result = carry(None, event)
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferRequestDeclined)
    assert cmd.causation_id == CAUSE
    assert (cmd.request_id, cmd.reason, cmd.text) == (REQUEST_ID, event.reason, event.text)
    assert (cmd.owner, cmd.owner_epoch) == ("MPS", 3)


def test_transfer_notified_2_1_carries_the_visor_reference() -> None:
    profile = replace(PROFILE, identity=IDENTITY)
    event = e.TransferNotified(
        reference=REF, force=OWNER, at=T0, recipient=REQUESTER, transfer_id=TID, epoch=3,
        profile=profile, details=details(), review=(), review_outcome=REPORT.notes,
        report=REPORT,
    )  # fmt: skip
    result = carry(owner_record(OWNER), event)
    assert str(result.received.version) == "2.1"
    assert result.outbox.body["visor_reference"] == "VN-0042137"
    cmd = result.command
    assert isinstance(cmd, c.ReceiveTransferNotified)
    assert cmd.profile.identity == IDENTITY


def test_a_visor_reference_without_a_digit_is_refused_as_an_invalid_body() -> None:
    with pytest.raises(BodyInvalid, match="ViSOR") as caught:
        carry(None, _requested(replace(IDENTITY, visor_reference="VN-ABCD")))
    assert caught.value.pointer == "/data/offender/visor_reference"
