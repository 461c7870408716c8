"""Sign-in throttling: too many failures for one account or one address locks both out a while."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from datetime import datetime, timedelta


class SignInThrottle:
    """Counts failed sign-ins per key (an account, a client address) in a sliding window.

    It lives in one process: several instances of a node each keep their own count, which
    still bounds guessing to ``attempts`` per window per instance.
    """

    def __init__(self, attempts: int, window: timedelta, clock: Callable[[], datetime]) -> None:
        self._attempts = attempts
        self._window = window
        self._clock = clock
        self._failures: defaultdict[str, deque[datetime]] = defaultdict(deque)

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` has used up its failures for the window."""
        now = self._clock()
        return any(self._count(key, now) >= self._attempts for key in keys)

    def failed(self, *keys: str) -> None:
        """Count one failure against each key."""
        now = self._clock()
        for key in keys:
            self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of each key."""
        for key in keys:
            self._failures.pop(key, None)

    def _count(self, key: str, now: datetime) -> int:
        if key not in self._failures:
            return 0
        count = len(self._recent(key, now))
        if not count:
            del self._failures[key]
        return count

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures[key]
        while failures and now - failures[0] > self._window:
            failures.popleft()
        return failures
