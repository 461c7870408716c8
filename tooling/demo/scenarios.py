"""The situations the guidance describes, played end to end between real force nodes.

Each scenario registers its own offender(s), acts as the coordinators would, waits for what
the other forces' nodes receive, and records the owner and epoch it expects at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from ownership.domain import commands as c
from ownership.domain.absence import AbsenceSource
from ownership.domain.places import Address
from ownership.domain.states import TransferState as S
from ownership.domain.transfer import CancelReason, DeclineReason
from ownership.domain.values import OffenderProfile
from schemas.topics import inbox_topic
from tooling import playbook
from tooling.demo.stage import Stage

Scenario = Callable[[Stage], Awaitable[None]]


def reference(owner: str, n: int) -> str:
    return f"{owner}-2026-{n:06d}"


async def notify(
    stage: Stage, ref: str, owner: str, receiver: str, n: int, *, temporary: bool = False,
    at: datetime | None = None, offender: OffenderProfile | None = None,
) -> str:  # fmt: skip
    """`owner` reviews the offender and notifies `receiver`; returns the transfer id."""
    tid, at = str(uuid.uuid4()), at or stage.now()
    record = await stage.record(owner, ref)
    offender = offender or (record.profile if record else playbook.profile(n))
    details = playbook.move(owner, at.date(), temporary=temporary, n=n)
    steps = playbook.review_and_notify(ref, tid, receiver, details, offender, at)
    kind = "temporary" if temporary else "permanent"
    await stage.act(
        owner,
        steps,
        f"reviews {ref} ({len(steps) - 1} steps) and notifies {receiver} of a {kind} move",
    )
    await stage.until_state(
        receiver, ref, tid, S.NOTIFIED, says=f"receives transfer.notified for {ref}"
    )
    return tid


async def accept_and_commit(stage: Stage, ref: str, tid: str, owner: str, receiver: str) -> None:
    """The receiver acknowledges, consults and accepts; the owner commits the handover."""
    held = await stage.record(receiver, ref)
    mappa = held is not None and held.profile.is_mappa_case
    at = stage.now()
    await stage.act(receiver, playbook.acknowledge_and_consult(ref, tid, receiver, at, mappa=mappa),
                    "acknowledges and records the consultation on risk and threats to life"
                    + (" with the MAPPA lead agency" if mappa else ""))  # fmt: skip
    await stage.until_state(
        owner, ref, tid, S.ACKNOWLEDGED, says=f"receives transfer.acknowledged for {ref}"
    )
    await stage.act(
        receiver,
        playbook.accept(ref, tid, receiver, at),
        f"accepts {ref}: the offender registered there",
    )
    await stage.until_state(
        owner, ref, tid, S.ACCEPTED, says=f"receives ownership.accepted for {ref}"
    )
    await stage.act(owner, playbook.commit(ref, tid, at), f"commits the handover of {ref}")
    await stage.until_state(
        receiver, ref, tid, S.COMMITTED, says=f"receives ownership.transferred: owns {ref}"
    )


async def register(stage: Stage, owner: str, n: int, at: datetime | None = None) -> str:
    ref = reference(owner, n)
    await stage.act(
        owner,
        playbook.register(ref, at or stage.now(), n),
        f"registers {ref} ({playbook.profile(n).category.value})",
    )
    return ref


async def permanent_move(stage: Stage) -> None:
    stage.heading("1. A permanent move with a full pre-transfer review (GMP to WMP)")
    ref = await register(stage, "GMP", 1)
    tid = await notify(stage, ref, "GMP", "WMP", 1)
    await accept_and_commit(stage, ref, tid, "GMP", "WMP")
    stage.expected[ref] = ("WMP", 2)


async def temporary_move_and_return(stage: Stage) -> None:
    stage.heading("2. A temporary move and the return (WMP to MPS, then back)")
    ref = await register(stage, "WMP", 3)
    tid = await notify(stage, ref, "WMP", "MPS", 3, temporary=True)
    await accept_and_commit(stage, ref, tid, "WMP", "MPS")
    back = await notify(stage, ref, "MPS", "WMP", 3)
    await accept_and_commit(stage, ref, back, "MPS", "WMP")
    stage.expected[ref] = ("WMP", 3)


async def mappa_case(stage: Stage) -> None:
    stage.heading("3. A MAPPA case, consulted with its lead agency (GMP to WYP)")
    ref = await register(stage, "GMP", 0)  # offender 0 is a MAPPA category 1, level 2 case
    tid = await notify(stage, ref, "GMP", "WYP", 0)
    await accept_and_commit(stage, ref, tid, "GMP", "WYP")
    stage.expected[ref] = ("WYP", 2)


async def decline_then_amend(stage: Stage) -> None:
    stage.heading(
        "4. Declined for missing information, notified again, amended, accepted (MPS to BTP)"
    )
    ref = await register(stage, "MPS", 4)
    first = await notify(stage, ref, "MPS", "BTP", 4)
    decline = c.DeclineTransfer(
        reference=ref, by="coordinator", at=stage.now(), transfer_id=first,
        reason=DeclineReason.INSUFFICIENT_INFORMATION, text="No registration deadline given",
        missing_information=("registration due date",),
    )  # fmt: skip
    await stage.act("BTP", [decline], "declines: not enough information (registration due date)")
    await stage.until_state(
        "MPS", ref, first, S.DECLINED, says=f"receives transfer.declined for {ref}"
    )
    second = await notify(stage, ref, "MPS", "BTP", 4)
    record = await stage.record("MPS", ref)
    assert record is not None
    details = dataclasses.replace(
        record.transfer(second).details, registration_due_by=date.today() + timedelta(days=17)
    )
    amend = c.AmendTransfer(
        reference=ref, by="coordinator", at=stage.now(), transfer_id=second,
        details=details, reason="Registration due date added",
    )  # fmt: skip
    await stage.act("MPS", [amend], "amends the transfer: registration due date added (revision 2)")
    await stage.until(
        "BTP",
        ref,
        lambda r: r.transfer(second).revision == 2,
        "receives transfer.amended (revision 2)",
    )
    await accept_and_commit(stage, ref, second, "MPS", "BTP")
    stage.expected[ref] = ("BTP", 2)


async def cancelled_after_acceptance(stage: Stage) -> None:
    stage.heading("5. Cancelled while the receiver accepts: ownership refused (WYP to GMP)")
    ref = await register(stage, "WYP", 5)
    tid = await notify(stage, ref, "WYP", "GMP", 5)
    at = stage.now()
    await stage.act(
        "GMP",
        playbook.acknowledge_and_consult(ref, tid, "GMP", at, mappa=False),
        "acknowledges and consults",
    )
    await stage.until_state("WYP", ref, tid, S.ACKNOWLEDGED, says="receives transfer.acknowledged")
    stage.nodes["GMP"].pause()
    stage.say("GMP   node paused, so the cancellation and the acceptance cross")
    cancel = c.CancelTransfer(
        reference=ref, by="coordinator", at=at, transfer_id=tid,
        reason="The move fell through", reason_code=CancelReason.MOVE_ABANDONED,
    )  # fmt: skip
    await stage.act("WYP", [cancel], f"cancels the transfer of {ref}: the move fell through")
    await stage.act(
        "GMP",
        playbook.accept(ref, tid, "GMP", at),
        f"accepts {ref}, not yet knowing of the cancellation",
    )
    stage.nodes["GMP"].resume()
    await stage.until_audited(
        "WYP", ref, "ownership.accepted", "receives ownership.accepted for a cancelled transfer"
    )
    await stage.until_audited(
        "GMP", ref, "ownership.refused", "receives ownership.refused: WYP still owns the record"
    )
    stage.expected[ref] = ("WYP", 1)


async def absent_offender(stage: Stage) -> None:
    stage.heading("6. Evidence the offender left the registered address (GMP, forwarding to MPS)")
    ref = await register(stage, "GMP", 6)
    # MPS must hold a view to take the notice: only a notification opens one
    await notify(stage, ref, "GMP", "MPS", 6)
    absence = c.RecordAbsence(
        reference=ref, by="offender manager", at=stage.now(),
        date_left=date.today() - timedelta(days=2),
        forwarding_address=Address(("12 Example Road",), "London", "ZZ9 9ZZ"),
        forwarding_force="MPS", source=AbsenceSource.LANDLORD,
        evidence="Landlord reports he moved out and left a forwarding address",
    )  # fmt: skip
    await stage.act(
        "GMP", [absence], "records the absence (date left, forwarding address in MPS's area)"
    )
    await stage.until_audited(
        "MPS", ref, "offender.absent", "receives offender.absent and acts on it at once"
    )
    stage.expected[ref] = ("GMP", 1)


async def unacknowledged_expires(stage: Stage) -> None:
    stage.heading("7. An unacknowledged notification: reminded, escalated, expired (GMP to WMP)")
    weeks_ago = stage.now() - timedelta(days=40)
    ref = await register(stage, "GMP", 7, at=weeks_ago)
    tid = await notify(stage, ref, "GMP", "WMP", 7, at=weeks_ago)
    stage.say(
        "WMP   does not acknowledge; GMP's scheduler chases it, on a clock the demo moves on"
        " a day at a time from the notification (acknowledgement due on day 5)"
    )
    climbs = {6: "the offender manager", 9: "a supervisor", 12: "the MAPPA coordinator"}
    for day, rung in climbs.items():
        done = await chase_on_day(stage, "GMP", weeks_ago, day)
        stage.say(f"GMP   day {day}: escalates to {rung} and reminds WMP ({done})")
    again = await chase_on_day(stage, "GMP", weeks_ago, 12)
    stage.say(f"GMP   day 12, another pass: one rung a pass and an interval ({again})")
    expired = await chase_on_day(stage, "GMP", weeks_ago, 20)
    stage.say(
        f"GMP   day 20, past the final deadline (day 19): lets the transfer expire ({expired})"
    )
    await stage.until_state("GMP", ref, tid, S.EXPIRED, says="holds the transfer as expired")
    await stage.until_state(
        "WMP", ref, tid, S.CANCELLED, says="receives transfer.cancelled: the transfer expired"
    )
    stage.expected[ref] = ("GMP", 1)


async def chase_on_day(stage: Stage, force: str, start: datetime, day: int) -> str:
    """One pass of `force`'s deadline scheduler, its clock at `day` days after `start`
    (the node's own scheduler is off in the demo: real days are too slow to watch)."""
    from interforce.node.deadlines import DeadlineChaser
    from ownership.domain.deadlines import ServiceLevels

    desk = stage.desks[force]
    when = start + timedelta(days=day)
    report = await DeadlineChaser(
        desk.pool, force=force, actor=f"node:{force}", levels=ServiceLevels(),
        clock=lambda: when, signer=desk.signer,
    ).chase()  # fmt: skip
    return (
        f"{report.escalations} escalation(s), {report.reminders} reminder(s),"
        f" {report.expired} expired"
    )


async def there_and_back(stage: Stage) -> None:
    stage.heading("8. A return to the first force: MPS to WYP, then back to MPS")
    ref = await register(stage, "MPS", 8)
    there = await notify(stage, ref, "MPS", "WYP", 8)
    await accept_and_commit(stage, ref, there, "MPS", "WYP")
    back = await notify(stage, ref, "WYP", "MPS", 8)
    await accept_and_commit(stage, ref, back, "WYP", "MPS")
    stage.expected[ref] = ("MPS", 3)


async def forged_message(stage: Stage) -> None:
    stage.heading("9. A forged message: a genuine notification altered after it was signed")
    topic = inbox_topic("WMP", stage.namespace)
    genuine = await _first_notification(stage.kafka_bootstrap, topic)
    forged = json.loads(genuine)
    forged["data"]["risk"]["level"] = "low"
    producer = AIOKafkaProducer(bootstrap_servers=stage.kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, json.dumps(forged).encode(), key=b"forged")
    finally:
        await producer.stop()
    stage.say(
        f"???   replays {forged['source']}'s notification of {forged['subject']} on {topic},"
        " its risk level lowered"
    )
    deadline = asyncio.get_running_loop().time() + 60
    query = "select count(*) from dead_letters where reason = 'signature-invalid'"
    while not await stage.desks["WMP"].pool.fetchval(query):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the forged message never reached the dead-letter topic")
        await asyncio.sleep(0.1)
    stage.say(f"WMP   refuses it (signature-invalid) and puts it on {stage.namespace}.wmp.dlq")
    stage.expected_dead_letters.append(("WMP", "signature-invalid"))


async def _first_notification(bootstrap: str, topic: str) -> bytes:
    """The first transfer.notified that a node really sent to `topic`."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            async for message in consumer:
                if b"transfer.notified" in message.value:
                    return bytes(message.value)
    finally:
        await consumer.stop()
    raise RuntimeError(f"no notification on {topic}")


SCENARIOS: tuple[Scenario, ...] = (
    permanent_move,
    temporary_move_and_return,
    mappa_case,
    decline_then_amend,
    cancelled_after_acceptance,
    absent_offender,
    unacknowledged_expires,
    there_and_back,
    forged_message,
)
"""The first demo's scenarios; `runner` plays `new_paths`' after them."""
