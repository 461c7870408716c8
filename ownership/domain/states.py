"""The transfer's two state machines: the owner's view and the receiver's view.

Each side has two tables. ``*_SENDS`` lists, per state, the steps that side may take itself
(each a message to the other force, except review completion and expiry); ``*_ACCEPTS`` lists
the steps it accepts from the other force. A step absent from a table is illegal in that
state and raises a specific error; nothing is ignored.

Some entries keep the state unchanged: they record a message that crossed a cancellation or a
decline (for example a late amendment at a receiver that has already declined), so the
record shows it arrived.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class TransferState(StrEnum):
    """Where a transfer stands in one force's view."""

    DRAFT = "draft"
    READY = "ready"
    NOTIFIED = "notified"
    AMENDED = "amended"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    COMMITTED = "committed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    REFUSED = "refused"
    EXPIRED = "expired"
    NOT_ARRIVED = "not_arrived"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


class Side(StrEnum):
    """Which end of the transfer this force's view is."""

    OWNER = "owner"
    RECEIVER = "receiver"


class Step(StrEnum):
    """A protocol step; the message names are those the forces exchange."""

    COMPLETE_REVIEW = "review.completed"
    NOTIFY = "transfer.notified"
    AMEND = "transfer.amended"
    ACKNOWLEDGE = "transfer.acknowledged"
    DECLINE = "transfer.declined"
    CANCEL = "transfer.cancelled"
    EXPIRE = "transfer.expired"
    ACCEPT = "ownership.accepted"
    COMMIT = "ownership.transferred"
    REFUSE = "ownership.refused"
    # A hand-over by hand to an authority that runs no node: the owner records each step.
    TELL_AUTHORITY = "handover.told"
    AUTHORITY_ACKNOWLEDGED = "handover.acknowledged"
    AUTHORITY_ACCEPTED = "handover.accepted"
    FAIL_TO_ARRIVE = "transfer.failedtoarrive"
    WITHDRAW = "ownership.withdrawn"
    LAPSE = "acceptance.lapsed"


S = TransferState
Table = Mapping[TransferState, Mapping[Step, TransferState]]

_WITHDRAW = {Step.CANCEL: S.CANCELLED, Step.EXPIRE: S.EXPIRED}
_LIVE_OWNER = {Step.AMEND: S.AMENDED, **_WITHDRAW}

OWNER_SENDS: Table = {
    S.DRAFT: {Step.COMPLETE_REVIEW: S.READY, **_WITHDRAW},
    S.READY: {Step.NOTIFY: S.NOTIFIED, **_WITHDRAW},
    S.NOTIFIED: _LIVE_OWNER,
    S.AMENDED: _LIVE_OWNER,
    S.ACKNOWLEDGED: _LIVE_OWNER,
    S.ACCEPTED: {Step.COMMIT: S.COMMITTED, Step.CANCEL: S.CANCELLED, Step.LAPSE: S.LAPSED},
    S.CANCELLED: {Step.REFUSE: S.CANCELLED},
    S.EXPIRED: {Step.REFUSE: S.EXPIRED},
}

_AWAITING_RECEIVER = {
    Step.ACKNOWLEDGE: S.ACKNOWLEDGED,
    Step.DECLINE: S.DECLINED,
    Step.ACCEPT: S.ACCEPTED,
    Step.FAIL_TO_ARRIVE: S.NOT_ARRIVED,
}

OWNER_ACCEPTS: Table = {
    S.NOTIFIED: _AWAITING_RECEIVER,
    S.AMENDED: _AWAITING_RECEIVER,
    S.ACKNOWLEDGED: {
        Step.DECLINE: S.DECLINED,
        Step.ACCEPT: S.ACCEPTED,
        Step.FAIL_TO_ARRIVE: S.NOT_ARRIVED,
    },
    # An acceptance of a withdrawn transfer is answered with ownership.refused; an
    # acknowledgement of a lapsed one with transfer.cancelled again. Neither reopens it.
    # A failure to arrive or a withdrawal that crossed the cancellation or expiry is kept.
    S.CANCELLED: {
        Step.ACCEPT: S.CANCELLED,
        Step.FAIL_TO_ARRIVE: S.CANCELLED,
        Step.WITHDRAW: S.CANCELLED,
    },
    S.EXPIRED: {
        Step.ACCEPT: S.EXPIRED,
        Step.ACKNOWLEDGE: S.EXPIRED,
        Step.FAIL_TO_ARRIVE: S.EXPIRED,
        Step.WITHDRAW: S.EXPIRED,
    },
    # The receiver withdraws its acceptance before the commit. A withdrawal that crossed the
    # commit or the lapse is recorded and changes nothing: the commit stands, or the owner
    # keeps the record.
    S.ACCEPTED: {Step.WITHDRAW: S.WITHDRAWN},
    S.COMMITTED: {Step.WITHDRAW: S.COMMITTED},
    S.LAPSED: {Step.WITHDRAW: S.LAPSED},
}

_NEVER_CAME = {Step.FAIL_TO_ARRIVE: S.NOT_ARRIVED}

RECEIVER_SENDS: Table = {
    S.NOTIFIED: {Step.ACKNOWLEDGE: S.ACKNOWLEDGED, Step.DECLINE: S.DECLINED, **_NEVER_CAME},
    S.AMENDED: {Step.ACKNOWLEDGE: S.ACKNOWLEDGED, Step.DECLINE: S.DECLINED, **_NEVER_CAME},
    S.ACKNOWLEDGED: {Step.ACCEPT: S.ACCEPTED, Step.DECLINE: S.DECLINED, **_NEVER_CAME},
    S.ACCEPTED: {Step.WITHDRAW: S.WITHDRAWN},
}

_OPEN_RECEIVER = {Step.AMEND: S.AMENDED, Step.CANCEL: S.CANCELLED}

RECEIVER_ACCEPTS: Table = {
    S.NOTIFIED: _OPEN_RECEIVER,
    S.AMENDED: _OPEN_RECEIVER,
    S.ACKNOWLEDGED: _OPEN_RECEIVER,
    S.ACCEPTED: {
        Step.AMEND: S.ACCEPTED,
        Step.CANCEL: S.CANCELLED,
        Step.COMMIT: S.COMMITTED,
        Step.REFUSE: S.REFUSED,
        Step.LAPSE: S.LAPSED,
    },
    # A commit that crossed our withdrawal stands: the owner has handed over, so we own.
    S.WITHDRAWN: {
        Step.COMMIT: S.COMMITTED,
        Step.AMEND: S.WITHDRAWN,
        Step.CANCEL: S.WITHDRAWN,
        Step.REFUSE: S.WITHDRAWN,
        Step.LAPSE: S.WITHDRAWN,
    },
    S.DECLINED: {Step.AMEND: S.DECLINED, Step.CANCEL: S.DECLINED},
    # A repeated cancellation answers an acknowledgement that crossed an expiry.
    S.CANCELLED: {Step.REFUSE: S.CANCELLED, Step.CANCEL: S.CANCELLED},
    # What the owner sent before it heard the offender never arrived.
    S.NOT_ARRIVED: {Step.AMEND: S.NOT_ARRIVED, Step.CANCEL: S.NOT_ARRIVED},
}

# The owner's view of a hand-over by hand to an authority outside the federation: no
# message is sent or received; the owner records the authority's answers as its own steps.
MANUAL_OWNER_SENDS: Table = {
    S.DRAFT: {Step.COMPLETE_REVIEW: S.READY, **_WITHDRAW},
    S.READY: {Step.TELL_AUTHORITY: S.NOTIFIED, **_WITHDRAW},
    S.NOTIFIED: {Step.AUTHORITY_ACKNOWLEDGED: S.ACKNOWLEDGED, **_WITHDRAW},
    S.ACKNOWLEDGED: {Step.AUTHORITY_ACCEPTED: S.ACCEPTED, **_WITHDRAW},
    S.ACCEPTED: {Step.COMMIT: S.COMMITTED, Step.CANCEL: S.CANCELLED},
}

TERMINAL_STATES = frozenset(
    {
        S.COMMITTED,
        S.DECLINED,
        S.CANCELLED,
        S.REFUSED,
        S.EXPIRED,
        S.NOT_ARRIVED,
        S.WITHDRAWN,
        S.LAPSED,
    }
)

_TABLES: Mapping[tuple[Side, bool], Table] = {
    (Side.OWNER, True): OWNER_SENDS,
    (Side.OWNER, False): OWNER_ACCEPTS,
    (Side.RECEIVER, True): RECEIVER_SENDS,
    (Side.RECEIVER, False): RECEIVER_ACCEPTS,
}


def next_state(side: Side, state: TransferState, step: Step, *, sent: bool) -> TransferState | None:
    """The state after ``step`` (taken by this side if ``sent``, else by the peer), or None."""
    return _TABLES[side, sent].get(state, {}).get(step)


def next_manual_state(state: TransferState, step: Step) -> TransferState | None:
    """The state after the owner records ``step`` of a hand-over by hand, or None."""
    return MANUAL_OWNER_SENDS.get(state, {}).get(step)


def is_terminal(state: TransferState) -> bool:
    """Whether the transfer waits for nothing more."""
    return state in TERMINAL_STATES
