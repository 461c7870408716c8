"""What the `interforce` command prints when it cannot do what it was asked: one line.

Every command runs inside `RefusingGroup`, which turns the errors an operator can fix (a
setting missing or invalid, a database that does not exist, a service that does not answer)
into one line, `error: what is wrong; what to set`, on standard error, and an exit code:

- 2: the command, a setting or the set-up is wrong (usage, configuration, a missing
  database); it fails the same way until someone changes something;
- 1: a service (PostgreSQL, Kafka) is not reachable; the same command may work later.

Anything else is a bug and keeps its traceback: hiding one would be worse.

The error classes of the clients and of pydantic are looked at only once their module is
loaded (no error of theirs can exist before), so the command starts without them.
"""

from __future__ import annotations

import errno
import re
import socket
import sys
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from aiokafka.errors import KafkaConnectionError
    from pydantic_settings import SettingsError

USAGE = 2
"""Exit code for a wrong command, setting or set-up."""
UNREACHABLE = 1
"""Exit code for a service that does not answer."""

DATABASE_HINT = "check INTERFORCE_DATABASE_URL and that PostgreSQL is running"
BROKER_HINT = "check INTERFORCE_KAFKA_BOOTSTRAP and that Kafka is running"
SETTINGS_FIELD = re.compile(r'error parsing value for field "([a-z0-9_]+)"')
KAFKA_HOST = re.compile(r"\('([^']*)', (\d+)")
UNREACHABLE_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT}
)


class OperatorError(Exception):
    """A refusal a command raises itself: its one line and its exit code."""

    def __init__(self, message: str, exit_code: int = USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Refusal:
    """One line for the operator and the exit code."""

    message: str
    exit_code: int


class RefusingGroup(TyperGroup):
    """The root command: known operator errors become one line and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context is private
        try:
            return super().invoke(ctx)
        except Exception as error:
            refusal = explain(error)
            if refusal is None:
                raise
            typer.echo(f"error: {refusal.message}", err=True)
            raise typer.Exit(refusal.exit_code) from error


def explain(error: BaseException) -> Refusal | None:
    """The refusal an error means to an operator, or None for a bug (keep its traceback)."""
    if isinstance(error, BaseExceptionGroup):
        return _explain_group(error)
    if isinstance(error, OperatorError):
        return Refusal(str(error), error.exit_code)
    return (
        _explain_own(error)
        or _explain_validation(error)
        or _explain_database(error)
        or _explain_network(error)
        or _explain_file(error)
    )


def _loaded(module: str) -> bool:
    """Whether `module` is imported: an error of one of its classes cannot exist before."""
    return module in sys.modules


def _explain_own(error: BaseException) -> Refusal | None:
    """Our own set-up errors, which say in their message what to set."""
    own: list[type[BaseException]] = []
    if _loaded("interforce.node.identity"):
        from interforce.node.identity import IdentityError

        own.append(IdentityError)
    if _loaded("interforce.node.preflight"):
        from interforce.node.preflight import NodeSettingsError

        own.append(NodeSettingsError)
    if _loaded("interforce.web.secrets_source"):
        from interforce.web.secrets_source import SessionSecretError

        own.append(SessionSecretError)
    return Refusal(str(error), USAGE) if isinstance(error, tuple(own)) else None


def _explain_validation(error: BaseException) -> Refusal | None:
    """A setting, or the force directory, that pydantic refused."""
    if not _loaded("pydantic_core"):
        return None
    from pydantic import ValidationError

    from interforce.problems import validation_problem

    if isinstance(error, ValidationError) and error.title == "Settings":
        return Refusal(validation_problem(error, env_prefix="INTERFORCE_"), USAGE)
    if _loaded("pydantic_settings"):
        from pydantic_settings import SettingsError

        if isinstance(error, SettingsError):
            return Refusal(_settings_source_problem(error), USAGE)
    if isinstance(error, ValidationError) and error.title == "ForceDirectory":
        return Refusal(
            f"the force directory is not valid: {validation_problem(error)}; check"
            " --directory or INTERFORCE_DIRECTORY",
            USAGE,
        )
    return None


def _settings_source_problem(error: SettingsError) -> str:
    """`INTERFORCE_X: not valid JSON` from pydantic-settings' 'error parsing value for field'."""
    field = SETTINGS_FIELD.search(str(error))
    if field is None:
        return f"a setting cannot be read: {_plain(error)}"
    return f"INTERFORCE_{field.group(1).upper()}: not valid JSON"


def _explain_group(group: BaseExceptionGroup[BaseException]) -> Refusal | None:
    refusals = [explain(error) for error in group.exceptions]
    if not refusals or any(refusal is None for refusal in refusals):
        return None
    return refusals[0]


def _explain_database(error: BaseException) -> Refusal | None:
    if not _loaded("asyncpg"):
        return None
    import asyncpg

    if isinstance(error, asyncpg.InvalidCatalogNameError):
        return Refusal(
            f"{error} on the server INTERFORCE_DATABASE_URL names: create it with"
            " `interforce db migrate --force CODE` (or check INTERFORCE_NAMESPACE)",
            USAGE,
        )
    if isinstance(error, asyncpg.InvalidAuthorizationSpecificationError):
        return Refusal(
            f"PostgreSQL refused the login: {error}; check INTERFORCE_DATABASE_URL"
            " (and INTERFORCE_DATABASE_USER, INTERFORCE_DATABASE_PASSWORD_FILE)",
            USAGE,
        )
    if isinstance(error, asyncpg.ClientConfigurationError) or (
        isinstance(error, ValueError) and _raised_in(error, "asyncpg.connect_utils")
    ):
        return Refusal(f"INTERFORCE_DATABASE_URL is not usable: {_plain(error)}", USAGE)
    return None


def _explain_network(error: BaseException) -> Refusal | None:
    if _loaded("aiokafka"):
        from aiokafka.errors import KafkaConnectionError

        if isinstance(error, KafkaConnectionError):
            return Refusal(
                f"cannot reach the Kafka broker{_kafka_hosts(error)}; {BROKER_HINT}", UNREACHABLE
            )
    if not _unreachable(error):
        return None
    modules = _modules_in(error.__traceback__)
    if any(module.startswith("asyncpg") for module in modules):
        return Refusal(f"cannot reach PostgreSQL: {_plain(error)}; {DATABASE_HINT}", UNREACHABLE)
    if any(module.startswith("aiokafka") for module in modules):
        return Refusal(
            f"cannot reach the Kafka broker: {_plain(error)}; {BROKER_HINT}", UNREACHABLE
        )
    return None


def _explain_file(error: BaseException) -> Refusal | None:
    unreadable = FileNotFoundError | PermissionError | IsADirectoryError | NotADirectoryError
    if isinstance(error, unreadable) and error.filename is not None:
        return Refusal(f"cannot read {error.filename}: {error.strerror}", USAGE)
    return None


def _unreachable(error: BaseException) -> bool:
    """Whether `error` says a server did not answer (refused, unknown host, timed out)."""
    if isinstance(error, ConnectionError | socket.gaierror | TimeoutError):
        return True
    return isinstance(error, OSError) and error.errno in UNREACHABLE_ERRNOS


def _raised_in(error: BaseException, module: str) -> bool:
    """Whether `error` was raised by code of `module` (the innermost frame of its traceback)."""
    modules = _modules_in(error.__traceback__)
    return bool(modules) and modules[-1] == module


def _modules_in(traceback: TracebackType | None) -> list[str]:
    """The modules the error passed through: which client it came from names the service."""
    modules = []
    while traceback is not None:
        modules.append(str(traceback.tb_frame.f_globals.get("__name__", "")))
        traceback = traceback.tb_next
    return modules


def _kafka_hosts(error: KafkaConnectionError) -> str:
    """` at host:port, ...` from aiokafka's "Unable to bootstrap from [('host', port, ...)]"."""
    hosts = [f"{host}:{port}" for host, port in KAFKA_HOST.findall(str(error))]
    return f" at {', '.join(hosts)}" if hosts else f": {_plain(error)}"


def _plain(error: BaseException) -> str:
    """The error's text on one line."""
    return " ".join(str(error).split()) or type(error).__name__
