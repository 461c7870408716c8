"""Which force a command acts for, and its database: named, listed, existing, or refused.

A command checks the force code against the directory before it touches a database, and
only `interforce db migrate`, `interforce db role` and the node itself create a force's
database; every other command refuses one that does not exist, saying what to run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from pydantic import ValidationError

from interforce.cli.refusals import OperatorError
from interforce.database import database_url, force_database_name
from interforce.problems import validation_problem
from interforce.settings import Settings
from ownership.adapters.db import Connection
from ownership.adapters.migrator import pending_migrations
from schemas.directory import ForceDirectory, default_directory_path, load_directory
from schemas.safe_text import safe_text

T = TypeVar("T")


def read_directory(path: Path | None) -> ForceDirectory:
    """The directory file INTERFORCE_DIRECTORY names (the packaged one if None), or a refusal."""
    file = path or default_directory_path()
    try:
        return load_directory(file)
    except OSError as error:
        raise OperatorError(
            f"cannot read the directory {file} (INTERFORCE_DIRECTORY): {error.strerror or error}"
        ) from error
    except ValidationError as error:
        problem = validation_problem(error)
        raise OperatorError(
            f"the directory {file} (INTERFORCE_DIRECTORY) is not valid: {problem}"
        ) from error


def force_code(settings: Settings, force: str | None) -> str:
    """The force of `--force` or INTERFORCE_FORCE, upper-cased and listed in the directory."""
    code = (force or settings.force or "").upper()
    if not code:
        raise OperatorError("name the force: --force CODE or INTERFORCE_FORCE")
    directory = read_directory(settings.directory)
    if directory.force(code) is None:
        where = settings.directory or default_directory_path()
        nearest = [c for c in directory.nearest_codes(code, limit=6) if directory.force(c)][:3]
        hint = f" (did you mean {', '.join(nearest)}?)" if nearest else ""
        raise OperatorError(
            f"{safe_text(code, 40)} is not a force in the directory ({where}){hint}: check"
            " --force, or INTERFORCE_DIRECTORY"
        )
    return code


@dataclass(frozen=True)
class ForceDatabase:
    """The force a command acts for, checked against the directory, and its database."""

    settings: Settings
    code: str

    @classmethod
    def named(cls, force: str | None) -> ForceDatabase:
        """The force of `--force` or INTERFORCE_FORCE, with the settings of the environment."""
        settings = Settings()
        return cls(settings, force_code(settings, force))

    @property
    def name(self) -> str:
        """The force's database in this federation, e.g. `interforce_wmp`."""
        return force_database_name(self.code, self.settings.database_prefix)

    @property
    def url(self) -> str:
        """Its URL on the server INTERFORCE_DATABASE_URL names."""
        return database_url(self.settings.server_database_url, self.name)

    def run(self, work: Callable[[Connection], Awaitable[T]]) -> T:
        """Run ``work`` on the force's database, which must exist and be fully migrated."""
        return asyncio.run(self._run(work))

    async def _run(self, work: Callable[[Connection], Awaitable[T]]) -> T:
        connection = await self.connect_existing()
        try:
            return await work(connection)
        finally:
            await connection.close()

    async def connect_existing(self) -> asyncpg.Connection[Any]:
        """A connection to the force's database, which must exist and be fully migrated."""
        try:
            connection = await asyncpg.connect(self.url)
        except asyncpg.InvalidCatalogNameError as error:
            raise self.missing() from error
        try:
            pending = await pending_migrations(connection)
        except BaseException:
            await connection.close()
            raise
        if pending:
            await connection.close()
            raise OperatorError(
                f"the database {self.name} lacks {len(pending)} migrations ({pending[0]}, ...):"
                f" run `interforce db migrate --force {self.code}` first"
            )
        return connection

    def missing(self) -> OperatorError:
        """The refusal for a force whose database has not been created."""
        return OperatorError(
            f"{self.code} has no database {self.name} on the server INTERFORCE_DATABASE_URL"
            f" names: run `interforce db migrate --force {self.code}` first (or check"
            " INTERFORCE_NAMESPACE, INTERFORCE_DATABASE_NAMESPACE)"
        )
