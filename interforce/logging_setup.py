"""Logs that say what happened: text for people, JSON lines for log collectors."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
"""The levels `INTERFORCE_LOG_LEVEL` may name (in any case)."""


class UnknownLogLevelError(ValueError):
    """`INTERFORCE_LOG_LEVEL` names no level."""

    def __init__(self, level: str) -> None:
        super().__init__(
            f"INTERFORCE_LOG_LEVEL: {level[:40]!r} is not a level; use one of {', '.join(LEVELS)}"
        )


def log_level(name: str) -> str:
    """``name`` as one of `LEVELS`, or `UnknownLogLevelError`."""
    level = name.strip().upper()
    if level not in LEVELS:
        raise UnknownLogLevelError(name)
    return level


def configure_logging(level: str = "INFO", json_lines: bool = False) -> None:
    """Configure the root logger once, for the CLI and the node."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(log_level(level))
    # aiokafka narrates every group join at INFO; its warnings are what an operator needs.
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
