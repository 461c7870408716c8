"""The paths added since the first demo, played between real force nodes over Kafka.

An offender who never arrives, an unannounced arrival answered by a transfer, an acceptance
chased until the owner commits, a two-owner conflict proposed and confirmed, and a hand-over
by hand to Police Scotland. Each scenario leaves a check of where its path should end
(`Stage.end_checks`), which the demo's invariants run after the table.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from ownership.domain import commands as c
from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck
from ownership.domain.errors import DomainError
from ownership.domain.places import Address
from ownership.domain.requests import ArrivalRegistration, RequestState
from ownership.domain.states import TransferState as S
from ownership.domain.transfer import AuthorityExchange
from schemas.directory import load_directory
from tooling import playbook
from tooling.demo import path_checks as check
from tooling.demo.conflict_setup import reconcile, restore_stale_view
from tooling.demo.scenarios import Scenario, accept_and_commit, notify, register
from tooling.demo.stage import Stage

SCOTLAND = "PSOS"


async def failure_to_arrive(stage: Stage) -> None:
    stage.heading("10. The offender never arrives: whereabouts unknown at the owner (GMP to WMP)")
    ref = await register(stage, "GMP", 10)
    tid = await notify(stage, ref, "GMP", "WMP", 10)
    now = stage.now()
    ack = playbook.acknowledge_and_consult(ref, tid, "WMP", now, mappa=False)[:1]
    await stage.act("WMP", ack, "acknowledges and waits for the offender to register")
    tried = (
        ArrivalAttempt(ArrivalCheck.ADDRESS_VISITED, now - timedelta(hours=4), "no answer"),
        ArrivalAttempt(ArrivalCheck.AGENCIES_CONTACTED, now, "probation have not seen him"),
    )
    report = c.ReportFailureToArrive(
        reference=ref, at=now, by="coordinator", transfer_id=tid, attempts=tried,
        summary="never registered here",
    )  # fmt: skip
    await stage.act("WMP", [report], "reports he never arrived: address visited, agencies asked")
    await stage.until_state(
        "GMP", ref, tid, S.NOT_ARRIVED,
        says="receives transfer.failedtoarrive: keeps the record, whereabouts unknown",
    )  # fmt: skip
    stage.expected[ref] = ("GMP", 1)
    stage.end_checks.append(check.whereabouts_unknown(ref, tid, "GMP"))


async def unannounced_arrival(stage: Stage) -> None:
    stage.heading("11. An unannounced arrival: WMP asks GMP, which answers with a transfer")
    ref = await register(stage, "GMP", 11)
    identity = playbook.profile(11).identity
    assert identity is not None
    registration = ArrivalRegistration(
        date.today(), Address(("4 Arrival Road",), "Birmingham", "B1 1AA"), identity
    )
    request_id = str(uuid.uuid4())
    ask = c.RequestTransfer(
        reference=ref, by="coordinator", at=stage.now(), request_id=request_id, owner="GMP",
        registration=registration,
    )  # fmt: skip
    await stage.act("WMP", [ask], f"the offender registers there unannounced; asks GMP for {ref}")
    await stage.until(
        "GMP", ref, lambda r: [q.state for q in r.requests] == [RequestState.PENDING],
        "receives transfer.requested: the request waits on its record",
    )  # fmt: skip
    tid = await notify(stage, ref, "GMP", "WMP", 11)
    stage.say("GMP   the transfer answers WMP's request")
    await accept_and_commit(stage, ref, tid, "GMP", "WMP")
    stage.expected[ref] = ("WMP", 2)
    stage.end_checks.append(check.request_answered(ref, tid, "GMP", "WMP"))


async def commit_chased(stage: Stage) -> None:
    stage.heading("12. An acceptance chased to commit: WMP reminds GMP, which commits")
    days_ago = stage.now() - timedelta(days=5)
    ref = await register(stage, "GMP", 12, at=days_ago)
    tid = await notify(stage, ref, "GMP", "WMP", 12, at=days_ago)
    mappa = playbook.profile(12).is_mappa_case
    steps = playbook.acknowledge_and_consult(ref, tid, "WMP", days_ago, mappa=mappa)
    steps += playbook.accept(ref, tid, "WMP", days_ago)
    await stage.act("WMP", steps, "acknowledged, consulted and accepted five days ago")
    await stage.until_state("GMP", ref, tid, S.ACCEPTED, says="receives ownership.accepted")
    stage.say("GMP   does not commit; WMP's scheduler finds the commit overdue")
    await stage.until(
        "GMP", ref, lambda r: check.reminded_of_commit(r.transfer(tid), sent=False),
        "receives transfer.reminder: WMP is awaiting the commit",
    )  # fmt: skip
    await stage.act("GMP", playbook.commit(ref, tid, stage.now()), "commits the handover")
    await stage.until_state(
        "WMP", ref, tid, S.COMMITTED, says=f"receives ownership.transferred: owns {ref}"
    )
    stage.expected[ref] = ("WMP", 2)
    stage.end_checks.append(check.commit_chased(ref, tid, "GMP", "WMP"))


async def conflict_resolved(stage: Stage) -> None:
    stage.heading("13. A conflict over who owns: proposed by GMP, confirmed by MPS")
    ref = await register(stage, "GMP", 13)
    tid = await notify(stage, ref, "GMP", "MPS", 13)
    await accept_and_commit(stage, ref, tid, "GMP", "MPS")
    await restore_stale_view(stage.desks["GMP"].pool, "GMP", ref)
    stage.say("GMP   its view is restored wrongly: it, too, holds that it owns the record")
    for force, other in (("GMP", "MPS"), ("MPS", "GMP")):
        raised = await reconcile(stage, force, other)
        stage.say(f"{force:<5} reconciles with {other}: {raised}; the record is frozen")
    proposal = str(uuid.uuid4())
    propose = c.ProposeResolution(
        reference=ref, at=stage.now(), by="coordinator", proposal_id=proposal,
        counterpart="MPS", owner="MPS", epoch=None,
        reason="MPS accepted and holds the registration",
    )  # fmt: skip
    await stage.act("GMP", [propose], "proposes that MPS owns the record at epoch 3")
    await stage.until(
        "MPS", ref, lambda r: [p.proposal_id for p in r.resolutions] == [proposal],
        "receives resolution.proposed",
    )  # fmt: skip
    confirm = c.ConfirmResolution(
        reference=ref, at=stage.now(), by="coordinator", proposal_id=proposal,
        reason="agreed with GMP's coordinator",
    )  # fmt: skip
    await stage.act("MPS", [confirm], "confirms: owns the record at epoch 3, unfrozen")
    await stage.until(
        "GMP", ref, lambda r: (r.owner, r.epoch, r.conflicts) == ("MPS", 3, []),
        "receives resolution.confirmed: MPS owns at epoch 3, the record unfrozen",
    )  # fmt: skip
    stage.expected[ref] = ("MPS", 3)
    stage.end_checks.append(check.conflict_resolved(ref, "MPS", 3, ("GMP", "MPS")))


async def handover_to_scotland(stage: Stage) -> None:
    stage.heading("14. A hand-over by hand to Police Scotland, which runs no node (GMP)")
    authority = load_directory().authority(SCOTLAND)
    assert authority is not None
    ref = await register(stage, "GMP", 14)
    tid, at = str(uuid.uuid4()), stage.now()
    details = playbook.move("GMP", at.date(), n=14)
    steps = playbook.review_and_notify(ref, tid, SCOTLAND, details, playbook.profile(14), at)
    start = steps[0]
    assert isinstance(start, c.StartTransfer)
    steps[0] = c.StartTransfer(
        reference=ref, by=start.by, at=at, transfer_id=tid, receiver=SCOTLAND,
        details=details, authority=authority.name,
    )  # fmt: skip
    await stage.act("GMP", steps[:-1], f"reviews {ref} for a move to Scotland ({authority.name})")
    for command, says in _authority_steps(ref, tid, at):
        await stage.act("GMP", [command], says)
    await stage.act(
        "GMP", playbook.commit(ref, tid, at), f"commits: {authority.name} manages {ref}"
    )
    again = c.StartTransfer(
        reference=ref, by="coordinator", at=stage.now(), transfer_id=str(uuid.uuid4()),
        receiver="WMP", details=playbook.move("GMP", at.date(), n=14),
    )  # fmt: skip
    try:
        await stage.desks["GMP"].run([again])
    except DomainError as refused:
        stage.say(f"GMP   a further move is refused: {refused}")
    else:
        raise AssertionError(f"GMP started a move of {ref}, which Police Scotland manages")
    stage.expected[ref] = (SCOTLAND, 2)
    stage.end_checks.append(check.managed_by(ref, "GMP", SCOTLAND, authority.name))


def _authority_steps(ref: str, tid: str, at: datetime) -> list[tuple[c.Command, str]]:
    """What GMP's coordinator records of each exchange with Police Scotland, and says."""
    told = AuthorityExchange(at, "DS Morag Grant, PSOS public protection", "telephone", "")
    known = AuthorityExchange(at, "DS Morag Grant", "secure email", "PSOS-PP-2026-0142")
    taken = AuthorityExchange(at, "DI Ewan Fraser", "secure email", "PSOS-PP-2026-0142")
    return [
        (c.RecordAuthorityTold(reference=ref, by="coordinator", at=at, transfer_id=tid,
                               exchange=told), "records telling Police Scotland by telephone"),
        (c.RecordAuthorityAcknowledgement(reference=ref, by="coordinator", at=at,
                                          transfer_id=tid, exchange=known),
         "records Police Scotland's acknowledgement (ref PSOS-PP-2026-0142)"),
        (c.RecordAuthorityAcceptance(reference=ref, by="coordinator", at=at, transfer_id=tid,
                                     exchange=taken), "records Police Scotland's acceptance"),
    ]  # fmt: skip


NEW_PATHS: tuple[Scenario, ...] = (
    failure_to_arrive,
    unannounced_arrival,
    commit_chased,
    conflict_resolved,
    handover_to_scotland,
)
