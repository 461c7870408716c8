"""`interforce transfer`: each step of a transfer, by the owning or the receiving force."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interforce.cli import handover
from interforce.cli.options import ForceOption, JsonOption, UserOption
from ownership.domain.consultation import PartyKind
from ownership.domain.places import Address
from ownership.domain.requests import RequestDeclineReason
from ownership.domain.review import ReviewItem
from ownership.domain.review_report import ReviewMethod, ReviewOutcome
from ownership.domain.transfer import CancelReason, DeclineReason, Registration
from ownership.domain.values import MoveDetails, MoveKind, RiskLevel

if TYPE_CHECKING:
    from ownership.domain.events import Event

Reference = Annotated[str, typer.Argument(help="The offender reference.")]
TransferId = Annotated[str, typer.Argument(help="The transfer id.")]
Contact = Annotated[
    str | None,
    typer.Option("--contact", help="This force's contact: 'name, role, telephone[, email]'."),
]
PastDateReason = Annotated[
    str | None,
    typer.Option(
        "--past-date-reason",
        help="Why the expected move date is before today (e.g. 'moved before we were told');"
        " a past date is refused without it. Kept in this force's record and audit log.",
    ),
]


def _address(lines: list[str] | None, town: str | None, postcode: str | None) -> Address | None:
    if not lines:
        return None
    if town is None or postcode is None:
        raise typer.BadParameter("an address needs --town and --postcode")
    return Address(tuple(lines), town, postcode)


def build() -> typer.Typer:
    """The `transfer` sub-app."""
    app = typer.Typer(
        help="Start, review, notify and answer transfers; hand over by hand to an authority"
        " that runs no node (handover-told, handover-acknowledged, handover-accepted, then"
        " commit).",
        no_args_is_help=True,
    )
    app.command("start")(start_command)
    app.command("review")(review_command)
    app.command("notify")(notify_command)
    app.command("amend")(amend_command)
    app.command("cancel")(cancel_command)
    app.command("acknowledge")(acknowledge_command)
    app.command("consult")(consult_command)
    app.command("consulted")(consulted_command)
    app.command("decline")(decline_command)
    app.command("accept")(accept_command)
    app.command("commit")(commit_command)
    app.command("remind")(remind_command)
    app.command("handover-told")(handover.told_command)
    app.command("handover-acknowledged")(handover.acknowledged_command)
    app.command("handover-accepted")(handover.accepted_command)
    app.command("handover-returned")(handover.returned_command)
    app.command("authorities")(handover.authorities_command)
    app.command("failed-to-arrive")(failed_to_arrive_command)
    app.command("withdraw")(withdraw_command)
    app.command("request")(request_command)
    app.command("decline-request")(decline_request_command)
    return app


def start_command(
    reference: Reference,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The receiving force, e.g. WMP, or an authority that runs no node (PSOS,"
            " PSNI, IOM, JSY, GSY, NCA for abroad: a hand-over by hand, see"
            " `transfer authorities`). A code in neither list is refused.",
        ),
    ],
    expected: Annotated[date, typer.Option(help="Expected move date (YYYY-MM-DD).")],
    address: Annotated[list[str], typer.Option(help="A line of the new address (repeat).")],
    town: Annotated[str, typer.Option(help="Post town of the new address.")],
    postcode: Annotated[str, typer.Option(help="Postcode of the new address.")],
    risk: Annotated[RiskLevel, typer.Option(help="Risk of serious harm.")] = RiskLevel.MEDIUM,
    end_date: Annotated[
        date | None, typer.Option(help="A temporary move's end date (the return is due).")
    ] = None,
    contact_text: Contact = None,
    transfer_id: Annotated[
        str | None, typer.Option("--id", help="Transfer id; a new UUID if not given.")
    ] = None,
    past_date_reason: PastDateReason = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draft a transfer to another force; its pre-transfer review begins.

    An --expected date before today is refused (exit 1, past_move_date) unless
    --past-date-reason says why.
    """
    from interforce.cli.desk import contact, open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    receiver, authority = handover.receiver(desk, to)
    details = MoveDetails(
        kind=MoveKind.TEMPORARY if end_date else MoveKind.PERMANENT,
        expected_date=expected,
        risk_level=risk,
        new_address=_address(address, town, postcode),
        end_date=end_date,
        contacts=tuple(x for x in [contact(contact_text, desk.force)] if x is not None),
    )
    command = c.StartTransfer(
        reference=reference, at=desk.now(), by=desk.user,
        transfer_id=transfer_id or str(uuid.uuid4()), receiver=receiver, details=details,
        past_date_reason=past_date_reason, authority=authority,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=past_date_reason)
    if not as_json:
        typer.echo(f"transfer id: {command.transfer_id}")


def review_command(
    reference: Reference,
    transfer_id: TransferId,
    item: Annotated[ReviewItem, typer.Argument(help="The review item done.")],
    note: Annotated[str, typer.Option(help="What was done.")] = "",
    visit_id: Annotated[str | None, typer.Option(help="The visit that did it.")] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a pre-transfer review item as done."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.CompleteReviewItem(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        item=item, note=note, visit_id=visit_id,
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def notify_command(
    reference: Reference,
    transfer_id: TransferId,
    outcome: Annotated[ReviewOutcome, typer.Option(help="What the review found.")],
    method: Annotated[
        ReviewMethod | None, typer.Option(help="How, if the checklist does not show it.")
    ] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Notify the receiving force of the reviewed transfer."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.NotifyTransfer(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        review_outcome=outcome, review_method=method,
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def amend_command(
    reference: Reference,
    transfer_id: TransferId,
    reason: Annotated[str, typer.Option(help="Why the details changed.")],
    expected: Annotated[date | None, typer.Option(help="New expected move date.")] = None,
    risk: Annotated[RiskLevel | None, typer.Option(help="New risk level.")] = None,
    address: Annotated[list[str] | None, typer.Option(help="New address line.")] = None,
    town: Annotated[str | None, typer.Option(help="New post town.")] = None,
    postcode: Annotated[str | None, typer.Option(help="New postcode.")] = None,
    end_date: Annotated[date | None, typer.Option(help="New end date.")] = None,
    past_date_reason: PastDateReason = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct a live transfer's details; what is not given stays as it is.

    A new --expected date before today is refused (exit 1, past_move_date) unless
    --past-date-reason says why.
    """
    from interforce.cli.desk import load, open_desk, perform, run_async
    from ownership.domain import commands as c

    desk = open_desk(force, user)

    async def current() -> MoveDetails:
        async with desk.pool() as pool:
            record = await load(pool, reference)
        if record is None:
            raise typer.BadParameter(f"{desk.force} holds no record of {reference}")
        return record.transfer(transfer_id).details

    details = run_async(current)
    new_address = _address(address, town, postcode)
    changed = replace(
        details,
        expected_date=expected or details.expected_date,
        risk_level=risk or details.risk_level,
        new_address=new_address or details.new_address,
        place_regularly_found=None if new_address else details.place_regularly_found,
        end_date=end_date or details.end_date,
    )
    command = c.AmendTransfer(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        details=changed, reason=reason, past_date_reason=past_date_reason,
    )  # fmt: skip
    audited = f"{reason}; past date: {past_date_reason}" if past_date_reason else reason
    perform(desk, command, as_json=as_json, reason=audited)


def cancel_command(
    reference: Reference,
    transfer_id: TransferId,
    reason: Annotated[str, typer.Option(help="Why the move is off.")],
    code: Annotated[CancelReason, typer.Option(help="Reason code.")] = CancelReason.OTHER,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw a transfer; a receiver that was told is told it is off.

    An authority that runs no node (Police Scotland, ...) and was told of a hand-over by hand
    is sent nothing: the answer says to tell it by hand (`tell_by_hand` in `--json`).
    """
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.CancelTransfer(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        reason=reason, reason_code=code,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=reason, describe=_tell_by_hand)


def _tell_by_hand(events: list[Event]) -> dict[str, Any]:
    from ownership.domain.events import HandOverCancelled

    told = [e.authority for e in events if isinstance(e, HandOverCancelled)]
    return {"tell_by_hand": f"{told[0]}: it was told of the hand-over"} if told else {}


def acknowledge_command(
    reference: Reference,
    transfer_id: TransferId,
    contact_text: Contact = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Acknowledge a notification (or amendment) and open the consultation."""
    from interforce.cli.desk import contact, open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.AcknowledgeTransfer(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        contact=contact(contact_text, desk.force),
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def consult_command(
    reference: Reference,
    transfer_id: TransferId,
    party: Annotated[str, typer.Option(help="Who was consulted.")],
    kind: Annotated[PartyKind, typer.Option(help="What kind of party.")],
    outcome: Annotated[str, typer.Option(help="What they said.")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a party consulted on risk, response plans and threats to life."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.RecordConsultationParty(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        party=party, kind=kind, outcome=outcome,
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def consulted_command(
    reference: Reference,
    transfer_id: TransferId,
    summary: Annotated[str, typer.Option(help="What the consultation concluded.")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the consultation as done, so ownership may be accepted."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.CompleteConsultation(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        summary=summary,
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def decline_command(
    reference: Reference,
    transfer_id: TransferId,
    code: Annotated[DeclineReason, typer.Option(help="Reason code.")],
    text: Annotated[str, typer.Option(help="The reason in words.")],
    missing: Annotated[list[str] | None, typer.Option(help="Information needed (repeat).")] = None,
    suggest: Annotated[str | None, typer.Option(help="The force it may be for.")] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decline a transfer: not ours, or not enough information."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.DeclineTransfer(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        reason=code, text=text, missing_information=tuple(missing or ()),
        suggested_force=suggest.upper() if suggest else None,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=text)


def accept_command(
    reference: Reference,
    transfer_id: TransferId,
    registered_on: Annotated[date, typer.Option(help="When the offender registered here.")],
    station: Annotated[str, typer.Option(help="Where the offender registered.")],
    contact_text: Contact = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Accept responsibility (the offender registered here) for the next epoch."""
    from interforce.cli.desk import contact, open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.AcceptOwnership(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        registration=Registration(registered_on, station),
        contact=contact(contact_text, desk.force),
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def commit_command(
    reference: Reference,
    transfer_id: TransferId,
    records_reference: Annotated[
        str | None, typer.Option(help="Where the receiver finds the records (sent).")
    ] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Hand over to the receiver that accepted: it owns the next epoch.

    For an authority that runs no node, once its acceptance is recorded: the record is then
    managed by the authority, and no further move of it can start here.
    """
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.CommitTransfer(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        records_sent=records_reference is not None, records_reference=records_reference,
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def remind_command(
    reference: Reference,
    transfer_id: TransferId,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remind the other force that its step is overdue.

    The owner reminds the receiver of an overdue acknowledgement or acceptance; the receiver
    reminds the owner of an overdue acknowledgement's answer or, once it has accepted, of the
    commit (sent as `transfer.reminder` naming the acceptance). Refused (exit 1) when the
    transfer waits on this force or waits for nothing.
    """
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.SendReminder(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id
    )
    perform(desk, command, as_json=as_json)


def failed_to_arrive_command(
    reference: Reference,
    transfer_id: TransferId,
    tried: Annotated[
        list[str],
        typer.Option(
            help="What was tried, when, and what came of it: CHECK,WHEN,OUTCOME (repeat);"
            " CHECK is address_visited, telephoned, records_checked, agencies_contacted or"
            " other; WHEN an ISO time (UTC unless it says)."
        ),
    ],
    summary: Annotated[str, typer.Option(help="Your account, for the owning force.")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tell the owning force the offender never arrived here; the transfer ends.

    The owner keeps the record at the same epoch, marked whereabouts unknown, with a task to
    act immediately at the top of its worklist.
    """
    from interforce.cli.arrival_input import AttemptSyntaxError, parse_attempt
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    try:
        attempts = tuple(parse_attempt(text) for text in tried)
    except AttemptSyntaxError as error:
        raise typer.BadParameter(str(error)) from error
    desk = open_desk(force, user)
    command = c.ReportFailureToArrive(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id,
        attempts=attempts, summary=summary,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=summary)


def withdraw_command(
    reference: Reference,
    transfer_id: TransferId,
    reason: Annotated[
        str, typer.Option(help="Why, e.g. 'the offender did not report at the new address'.")
    ],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw this force's acceptance before the owner commits (`ownership.withdrawn`).

    The owner keeps the record at the same epoch. Refused with one line and exit 1 unless
    this force is the transfer's receiver and its acceptance still waits for the commit:
    once committed this force owns the record (`transfer_superseded`); a lapsed, refused or
    cancelled acceptance has nothing left to withdraw (`illegal_transition`). A commit that
    crossed the withdrawal stands.
    """
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.WithdrawAcceptance(
        reference=reference, at=desk.now(), by=desk.user, transfer_id=transfer_id, reason=reason
    )
    perform(desk, command, as_json=as_json, reason=reason)


def request_command(
    reference: Reference,
    owner: Annotated[
        str, typer.Option("--owner", help="The force believed to own the record, e.g. GMP.")
    ],
    family_name: Annotated[str, typer.Option(help="The offender's family name.")],
    given_names: Annotated[str, typer.Option(help="The offender's given names.")],
    born: Annotated[date, typer.Option(help="Date of birth (YYYY-MM-DD).")],
    registered_on: Annotated[date, typer.Option(help="When the offender registered here.")],
    address: Annotated[list[str], typer.Option(help="A line of the registered address (repeat).")],
    town: Annotated[str, typer.Option(help="Post town of the registered address.")],
    postcode: Annotated[str, typer.Option(help="Postcode of the registered address.")],
    pnc: Annotated[
        str | None, typer.Option(help="PNC ID, YY/NNNNNNNL; its check letter is checked.")
    ] = None,
    visor: Annotated[str | None, typer.Option(help="ViSOR nominal reference.")] = None,
    contact_text: Contact = None,
    request_id: Annotated[
        str | None, typer.Option("--id", help="Request id; a new UUID if not given.")
    ] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """An offender registered here unannounced: ask the owner to start a transfer to us.

    The owner answers by starting a transfer (a notification follows its review) or by
    declining with a reason; it has INTERFORCE_ANSWER_REQUEST_DAYS before it escalates.
    """
    from interforce.cli.desk import contact, open_desk, perform
    from interforce.cli.identity_input import identity_of
    from ownership.domain import commands as c
    from ownership.domain.requests import ArrivalRegistration

    desk = open_desk(force, user)
    identity = identity_of(family_name, given_names, born, pnc, visor)
    place = _address(address, town, postcode)
    assert place is not None  # --address is required
    registration = ArrivalRegistration(
        registered_on, place, identity, contact(contact_text, desk.force)
    )
    command = c.RequestTransfer(
        reference=reference, at=desk.now(), by=desk.user,
        request_id=request_id or str(uuid.uuid4()), owner=owner.upper(),
        registration=registration,
    )  # fmt: skip
    sent = {"request_id": command.request_id, "requested_of": command.owner}
    perform(desk, command, as_json=as_json, extra=sent)
    if not as_json:
        typer.echo(f"request id: {command.request_id}, sent to {command.owner}")


def decline_request_command(
    reference: Reference,
    request_id: Annotated[str, typer.Argument(help="The request id.")],
    code: Annotated[RequestDeclineReason, typer.Option(help="Reason code.")],
    text: Annotated[str, typer.Option(help="The reason in words.")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decline a force's request for a transfer, with a reason; it is told."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    command = c.DeclineTransferRequest(
        reference=reference, at=desk.now(), by=desk.user, request_id=request_id,
        reason=code, text=text,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=text)
