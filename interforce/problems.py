"""A pydantic validation error said in one line, for an operator rather than a developer."""

from __future__ import annotations

from pydantic import ValidationError

MAX_INPUT_CHARACTERS = 60
SECRET_WORDS = ("password", "secret", "url", "key")
"""Fields whose value is never echoed: it may be, or hold, a credential."""


def validation_problem(error: ValidationError, *, env_prefix: str | None = None) -> str:
    """The first problem (`where: what (got value)`), and how many more there are.

    With `env_prefix` the field is named as its environment variable, e.g.
    `INTERFORCE_HEALTH_PORT`.
    """
    problems = error.errors(include_url=False)
    if not problems:
        return str(error).splitlines()[0]
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"])
    if env_prefix is not None and first["loc"]:
        where = env_prefix + str(first["loc"][0]).upper()
    # pydantic prefixes a validator's own message with "Value error, "
    what = str(first["msg"]).removeprefix("Value error, ")
    text = f"{where}: {what}" if where else what
    # a file that is not JSON at all is better not echoed
    shown = None if first["type"] == "json_invalid" else _shown_input(where, first.get("input"))
    if shown is not None:
        text += f" (got {shown})"
    if len(problems) > 1:
        text += f"; and {len(problems) - 1} more"
    return text


def _shown_input(where: str, value: object) -> str | None:
    if not isinstance(value, str | int | float):
        return None
    if any(word in where.lower() for word in SECRET_WORDS):
        return None
    shown = repr(value)
    if len(shown) > MAX_INPUT_CHARACTERS:
        shown = shown[:MAX_INPUT_CHARACTERS] + "..."
    return shown
