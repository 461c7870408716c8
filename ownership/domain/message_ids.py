"""The ids of messages this force sends that a later reminder must be able to name.

They are derived from what the message is (sender, offender, transfer, step, revision), so
the same step always has the same id: a resend is a duplicate the receiver's inbox drops.
"""

from __future__ import annotations

import uuid

SENT_MESSAGE_NAMESPACE = uuid.UUID("5d6f0c1e-8a43-4c8e-9d2a-6b1f3e7a9c20")


def sent_message_id(force: str, reference: str, transfer_id: str, step: str, revision: int) -> str:
    """The id of the message ``force`` sends for ``step`` of a transfer at ``revision``."""
    name = f"{force}/{reference}/{transfer_id}/{step}/{revision}"
    return str(uuid.uuid5(SENT_MESSAGE_NAMESPACE, name))
