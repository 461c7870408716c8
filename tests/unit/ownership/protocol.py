"""The transfer protocol written out by hand, independently of ``ownership.domain.states``.

These tables are the tests' own statement of the protocol (README, docs/messages.md and the
design's hand-over diagram), in the forces' own words: state names and message names as
strings, one line per legal step. A step not listed is refused. The production tables are
checked against them entry by entry, so changing any one production entry fails a test.
"""

from __future__ import annotations

from collections.abc import Mapping

Table = Mapping[str, Mapping[str, str]]

STATES = (
    "draft",
    "ready",
    "notified",
    "amended",
    "acknowledged",
    "accepted",
    "committed",
    "declined",
    "cancelled",
    "refused",
    "expired",
    "not_arrived",
    "withdrawn",
    "lapsed",
)
STEPS = (
    "review.completed",
    "transfer.notified",
    "transfer.amended",
    "transfer.acknowledged",
    "transfer.declined",
    "transfer.cancelled",
    "transfer.expired",
    "ownership.accepted",
    "ownership.transferred",
    "ownership.refused",
    "handover.told",
    "handover.acknowledged",
    "handover.accepted",
    "transfer.failedtoarrive",
    "ownership.withdrawn",
    "acceptance.lapsed",
)

# The owner's own steps: review, notify, correct or withdraw a live transfer, commit once
# accepted, and answer an acceptance of a withdrawn transfer with ownership.refused.
OWNER_TAKES: Table = {
    "draft": {
        "review.completed": "ready",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "ready": {
        "transfer.notified": "notified",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "notified": {
        "transfer.amended": "amended",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "amended": {
        "transfer.amended": "amended",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "acknowledged": {
        "transfer.amended": "amended",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    # Accepted: the owner commits the handover, or calls the move off, or (its scheduler)
    # lets the acceptance lapse uncommitted. It no longer amends (the receiver accepted these
    # details) nor lets the transfer expire (nothing waits on the receiver).
    "accepted": {
        "ownership.transferred": "committed",
        "transfer.cancelled": "cancelled",
        "acceptance.lapsed": "lapsed",
    },
    "cancelled": {"ownership.refused": "cancelled"},
    "expired": {"ownership.refused": "expired"},
}

# What the owner accepts from the receiver: an answer to a notification or an amendment
# while it waits; once acknowledged, a decline or an acceptance. A late acceptance of a
# withdrawn transfer (and a late acknowledgement of a lapsed one) is recorded, never reopens.
# The receiver may say the offender never arrived at any point before it accepts; that ends
# the transfer (not_arrived), and one that crossed a withdrawal or a lapse is still heard.
OWNER_HEARS: Table = {
    "notified": {
        "transfer.acknowledged": "acknowledged",
        "transfer.declined": "declined",
        "ownership.accepted": "accepted",
        "transfer.failedtoarrive": "not_arrived",
    },
    "amended": {
        "transfer.acknowledged": "acknowledged",
        "transfer.declined": "declined",
        "ownership.accepted": "accepted",
        "transfer.failedtoarrive": "not_arrived",
    },
    "acknowledged": {
        "transfer.declined": "declined",
        "ownership.accepted": "accepted",
        "transfer.failedtoarrive": "not_arrived",
    },
    "cancelled": {
        "ownership.accepted": "cancelled",
        "transfer.failedtoarrive": "cancelled",
        "ownership.withdrawn": "cancelled",
    },
    "expired": {
        "ownership.accepted": "expired",
        "transfer.acknowledged": "expired",
        "transfer.failedtoarrive": "expired",
        "ownership.withdrawn": "expired",
    },
    # The receiver withdraws its acceptance before the commit; a withdrawal that crossed the
    # commit or the lapse is recorded and changes nothing.
    "accepted": {"ownership.withdrawn": "withdrawn"},
    "committed": {"ownership.withdrawn": "committed"},
    "lapsed": {"ownership.withdrawn": "lapsed"},
}

# The receiver's own steps: acknowledge or decline what it was notified of; accept only
# after acknowledging (consultation opens with the acknowledgement). It never commits.
RECEIVER_TAKES: Table = {
    "notified": {
        "transfer.acknowledged": "acknowledged",
        "transfer.declined": "declined",
        "transfer.failedtoarrive": "not_arrived",
    },
    "amended": {
        "transfer.acknowledged": "acknowledged",
        "transfer.declined": "declined",
        "transfer.failedtoarrive": "not_arrived",
    },
    "acknowledged": {
        "ownership.accepted": "accepted",
        "transfer.declined": "declined",
        "transfer.failedtoarrive": "not_arrived",
    },
    # Before the commit, the receiver may withdraw its acceptance.
    "accepted": {"ownership.withdrawn": "withdrawn"},
}

# What the receiver accepts from the owner: amendments and cancellation of a live transfer;
# once it has accepted, the commit (it owns), a refusal, a cancellation, or an amendment
# that crossed its acceptance. After a decline or a cancellation, crossing messages are
# recorded and change nothing.
RECEIVER_HEARS: Table = {
    "notified": {
        "transfer.amended": "amended",
        "transfer.cancelled": "cancelled",
    },
    "amended": {
        "transfer.amended": "amended",
        "transfer.cancelled": "cancelled",
    },
    "acknowledged": {
        "transfer.amended": "amended",
        "transfer.cancelled": "cancelled",
    },
    "accepted": {
        "transfer.amended": "accepted",
        "transfer.cancelled": "cancelled",
        "ownership.transferred": "committed",
        "ownership.refused": "refused",
        "acceptance.lapsed": "lapsed",
    },
    # Withdrawn: a commit that crossed the withdrawal stands (the owner handed over, so the
    # receiver owns); anything else that crossed it is recorded and changes nothing.
    "withdrawn": {
        "ownership.transferred": "committed",
        "transfer.amended": "withdrawn",
        "transfer.cancelled": "withdrawn",
        "ownership.refused": "withdrawn",
        "acceptance.lapsed": "withdrawn",
    },
    "declined": {
        "transfer.amended": "declined",
        "transfer.cancelled": "declined",
    },
    "cancelled": {
        "ownership.refused": "cancelled",
        "transfer.cancelled": "cancelled",
    },
    "not_arrived": {
        "transfer.amended": "not_arrived",
        "transfer.cancelled": "not_arrived",
    },
}

# A transfer in one of these waits for nothing more.
# A hand-over by hand to an authority that runs no node (Police Scotland, ...): the owner
# reviews, records that the authority was told, its acknowledgement and its acceptance, then
# commits; it may withdraw (or let lapse) until accepted, and only cancel once accepted.
# Nothing is heard from anyone: no message, no amendment, no refusal.
MANUAL_OWNER_TAKES: Table = {
    "draft": {
        "review.completed": "ready",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "ready": {
        "handover.told": "notified",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "notified": {
        "handover.acknowledged": "acknowledged",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "acknowledged": {
        "handover.accepted": "accepted",
        "transfer.cancelled": "cancelled",
        "transfer.expired": "expired",
    },
    "accepted": {
        "ownership.transferred": "committed",
        "transfer.cancelled": "cancelled",
    },
}
TERMINAL = frozenset(
    {
        "committed",
        "declined",
        "cancelled",
        "refused",
        "expired",
        "not_arrived",
        "withdrawn",
        "lapsed",
    }
)
