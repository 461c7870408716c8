"""The registry's default limits, in a module of their own so a command line can show them."""

from __future__ import annotations

from datetime import timedelta

DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024
"""A transfer notification is a few kilobytes; anything far larger is refused unread."""

DEFAULT_MAX_CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of this node's clock a message's `time` may be: clocks drift, not by years."""
