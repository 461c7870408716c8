"""JSON Schema validation: one compiled validator per schema, strict formats, safe fault reports.

Each schema is compiled twice. `jsonschema` is the reference: it decides every message that is
not plainly valid and says why (the reason and pointer of the first fault). `jsonschema-rs`,
forty times faster, only answers "valid" for the common case: a plain document
(`canonical.json.is_plain`: printable ASCII, integers JavaScript holds exactly, no
fractions), where the two agree (the same keywords, the same `date` and `date-time` checks,
regular expressions that read ASCII the same). Beyond it, Python's and Rust's regular
expressions class some characters differently and `jsonschema-rs` takes a whole-valued
`Decimal` for an integer. Anything else it refuses or
cannot vouch for goes to the reference, so what is accepted and refused, and why, is exactly
what the reference alone would say. The reference reads each `pattern` as ECMA-262 does, as
JSON Schema means it (`schemas.ecma_regex`: Python's `$` would let a final newline through).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError, relevance
from jsonschema.protocols import Validator

from canonical.json import is_plain
from schemas.ecma_regex import ecma_regex

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_NAME_LIMIT = 64


def _ecma_pattern(
    validator: Validator, pattern: str, instance: Any, _schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """The `pattern` keyword with ECMA-262's reading of the pattern, as JSON Schema means it."""
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"does not match {pattern!r}")


_Reference: type[Draft202012Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _ecma_pattern}
)


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date", raises=ValueError)(_is_date)
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    return checker


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    date.fromisoformat(value)
    return _DATE.fullmatch(value) is not None


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _DATE_TIME.fullmatch(value) is None:
        return False
    parse_date_time(value)
    return True


def parse_date_time(text: str) -> datetime:
    """Read an RFC 3339 date-time that the `date-time` format accepted."""
    # Python reads at most six fractional digits; RFC 3339 allows more.
    return datetime.fromisoformat(re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", text))


class SchemaValidator:
    """One compiled schema: a quick check for plainly valid documents, and the reference."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.reference = _Reference(schema, format_checker=_format_checker())
        self._quick = jsonschema_rs.validator_for(
            dict(schema),
            formats={
                "date": _false_on_error(_is_date),
                "date-time": _false_on_error(_is_date_time),
            },
            validate_formats=True,
        )

    def plainly_valid(self, instance: Any, *, plain: bool = False) -> bool:
        """True only if the instance is valid and the quick check may vouch for it.

        `plain`: the caller knows the instance is a plain document (`canonical.json`),
        which the quick check may always vouch for.
        """
        return (plain or is_plain(instance)) and self._quick.is_valid(instance)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        """Every fault, as the reference validator reports them."""
        return self.reference.iter_errors(instance)


def _false_on_error(check: Callable[[object], bool]) -> Callable[[object], bool]:
    def checked(value: object) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return checked


def compile_validator(schema: Mapping[str, Any]) -> SchemaValidator:
    """A validator for one schema, checking `date` and `date-time` formats strictly."""
    return SchemaValidator(schema)


def first_fault(
    validator: SchemaValidator, instance: Any, prefix: str = "", *, plain: bool = False
) -> tuple[str, str] | None:
    """The JSON pointer and description of the most relevant fault, or `None` if valid.

    The description names the rule broken, never the offending value, so it is safe to log.
    `plain`: the instance is known to be a plain document (`canonical.json.is_plain`).
    """
    if validator.plainly_valid(instance, plain=plain):
        return None
    errors = list(validator.iter_errors(instance))
    if not errors:
        return None
    error = _most_relevant(errors)
    path = [*error.absolute_path]
    path.extend(_member_at_fault(error))
    return prefix + json_pointer(path), _describe(error)


def first_envelope_fault(
    validator: SchemaValidator, envelope: Any, *, plain: bool = False
) -> tuple[str, str] | None:
    """`first_fault` for an envelope, whose schema asks of `data` only that it be an object
    (the body is its own schema's business): the quick check reads the envelope with an empty
    body, so a large body is not read twice."""
    data = envelope.get("data") if isinstance(envelope, dict) else None
    if isinstance(data, dict) and data:
        shell = {**envelope, "data": {}}
        if validator.plainly_valid(shell, plain=plain):
            return None
    return first_fault(validator, envelope, plain=plain)


def _most_relevant(errors: list[ValidationError]) -> ValidationError:
    """The shallowest fault; inside `oneOf`, the fault of the form whose `kind` matched."""
    best = max(errors, key=relevance)
    while best.context:
        branch = _matching_branch(best.context)
        if not branch:
            return best
        best = max(branch, key=relevance)
    return best


def _matching_branch(context: list[ValidationError]) -> list[ValidationError]:
    """The errors of the one alternative not refused on its discriminating `const`, if one."""
    branches: dict[Any, list[ValidationError]] = {}
    for error in context:
        branches.setdefault(error.relative_schema_path[0], []).append(error)
    live = [
        errors
        for errors in branches.values()
        if not any(e.validator == "const" and len(e.relative_path) == 1 for e in errors)
    ]
    return live[0] if len(live) == 1 else []


def json_pointer(parts: Iterable[str | int]) -> str:
    """An RFC 6901 JSON pointer to the given path."""
    return "".join(
        "/" + str(part).replace("~", "~0").replace("/", "~1")[:_NAME_LIMIT] for part in parts
    )


def _member_at_fault(error: ValidationError) -> list[str]:
    instance = error.instance
    if not isinstance(instance, dict):
        return []
    if error.validator == "required" and isinstance(error.validator_value, list):
        return [name for name in error.validator_value if name not in instance][:1]
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        return sorted(name for name in instance if name not in known)[:1]
    return []


def _describe(error: ValidationError) -> str:
    rule = str(error.validator)
    value = error.validator_value
    if rule == "type":
        return f"expected type {value}"
    if rule == "required":
        return "required member missing"
    if rule == "additionalProperties":
        return "member not allowed here"
    if rule in {"const", "enum"}:
        allowed = value if isinstance(value, list) else [value]
        return "expected one of " + ", ".join(str(item) for item in allowed)[:200]
    if rule in {"oneOf", "anyOf"}:
        return "matches none of the allowed forms"
    if rule in {"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "format"}:
        return f"breaks {rule} {value}"
    return f"breaks {rule}"
