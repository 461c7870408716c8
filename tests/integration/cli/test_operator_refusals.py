"""`interforce` as a new operator meets it: a wrong or missing setting is one line, no traceback.

Each command runs as a real process against the real PostgreSQL and Kafka, or against a
port nothing listens on for a service that is down. Exit 2: the command, a setting or the
set-up is wrong; exit 1: a service does not answer.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import asyncpg
import pytest

from interforce.database import ensure_database
from schemas.directory import default_directory_path
from tests.keys import key_path
from tests.support.databases import drop_database
from tooling.services.process import free_port

pytestmark = pytest.mark.integration

PASSWORD = "a-long-enough-password"
PACKAGED = str(default_directory_path())


def interforce(*args: str, stdin: str = "", **settings: str) -> subprocess.CompletedProcess[str]:
    """Run `interforce ARGS` with these `INTERFORCE_*` settings over the test session's."""
    return subprocess.run(
        [sys.executable, "-m", "interforce", *args],
        env={**os.environ, **settings},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refusal(done: subprocess.CompletedProcess[str], code: int) -> str:
    """The one `error:` line the command printed, after checking its exit code."""
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    assert done.stderr.splitlines()[-1] == errors[0]
    return errors[0]


def only_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    """As `refusal`, for a command that logs nothing: the error is all of standard error."""
    line = refusal(done, code)
    assert done.stderr.splitlines() == [line]
    return line


def databases(postgres_url: str, pattern: str) -> list[str]:
    async def names() -> list[str]:
        connection = await asyncpg.connect(postgres_url)
        try:
            rows = await connection.fetch(
                "select datname from pg_database where datname like $1", pattern
            )
        finally:
            await connection.close()
        return [row["datname"] for row in rows]

    return asyncio.run(names())


@pytest.fixture
def namespace(postgres_url: str) -> Iterator[str]:
    """A namespace of its own, with no database yet; whatever it gets is dropped afterwards."""
    name = f"op{uuid.uuid4().hex[:10]}"
    yield name
    for database in databases(postgres_url, f"{name}\\_%"):
        asyncio.run(drop_database(postgres_url, database))


@pytest.fixture
def down() -> str:
    """The URL of a PostgreSQL server that is not there."""
    return f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"


@pytest.mark.parametrize(
    "command",
    [["db", "migrate"], ["audit", "verify"], ["users", "list"], ["db", "role"]],
    ids=" ".join,
)
def test_a_database_that_is_down_is_one_line(command: list[str], down: str) -> None:
    done = interforce(*command, "--force", "WMP", INTERFORCE_DATABASE_URL=down)
    line = only_line(done, 1)
    assert line.startswith("error: cannot reach PostgreSQL: ")
    assert "INTERFORCE_DATABASE_URL" in line


def test_node_run_with_the_database_down_is_one_line(down: str, namespace: str) -> None:
    done = interforce(
        "node", "run", "--force", "WMP",
        INTERFORCE_DATABASE_URL=down, INTERFORCE_NAMESPACE=namespace,
        INTERFORCE_SIGNING_KEY=str(key_path("wmp-2024")),
    )  # fmt: skip
    line = refusal(done, 1)
    assert line.startswith("error: cannot reach PostgreSQL: ")
    assert "INTERFORCE_DATABASE_URL" in line


def test_node_run_with_the_broker_down_is_one_line(postgres_url: str, namespace: str) -> None:
    done = interforce(
        "node", "run", "--force", "WMP",
        INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_NAMESPACE=namespace,
        INTERFORCE_KAFKA_BOOTSTRAP=f"127.0.0.1:{free_port()}",
        INTERFORCE_SIGNING_KEY=str(key_path("wmp-2024")),
    )  # fmt: skip
    line = refusal(done, 1)
    assert line.startswith("error: cannot reach the Kafka broker at 127.0.0.1:")
    assert "INTERFORCE_KAFKA_BOOTSTRAP" in line


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"INTERFORCE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"},
         "error: INTERFORCE_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs INTERFORCE_KAFKA_SASL_"),
        ({"INTERFORCE_DISCLOSURE_PROFILES": '{"BTP": "everything"}'},
         "error: INTERFORCE_DISCLOSURE_PROFILES: unknown disclosure profile everything"),
        ({"INTERFORCE_DISCLOSURE_PROFILES": "BTP=specialist_unit"},
         "error: INTERFORCE_DISCLOSURE_PROFILES: not valid JSON"),
    ],
    ids=["sasl", "profile", "json"],
)  # fmt: skip
def test_node_run_refuses_kafka_and_disclosure_settings_before_starting(
    settings: dict[str, str], expected: str, postgres_url: str, namespace: str
) -> None:
    done = interforce(
        "node", "run", "--force", "WMP", INTERFORCE_NAMESPACE=namespace,
        INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_SIGNING_KEY=str(key_path("wmp-2024")),
        **settings,
    )  # fmt: skip
    assert refusal(done, 2).startswith(expected)
    assert databases(postgres_url, f"{namespace}\\_%") == []


@pytest.mark.parametrize(
    "command",
    [["db", "migrate"], ["audit", "verify"], ["users", "list"], ["node", "run"]],
    ids=" ".join,
)
def test_a_mysql_url_is_one_line_naming_the_setting(command: list[str]) -> None:
    done = interforce(*command, "--force", "WMP", INTERFORCE_DATABASE_URL="mysql://root@db/x")
    line = only_line(done, 2)
    assert line == "error: INTERFORCE_DATABASE_URL: must be a postgresql:// (or postgres://) URL"


@pytest.mark.parametrize(
    "command",
    [
        ["db", "migrate"], ["db", "role"], ["audit", "verify"], ["users", "list"],
        ["users", "disable", "someone"], ["pending", "--as", "dc.shah"],
        ["record", "show", "XYZ-2026-000001", "--reason", "check", "--as", "dc.shah"],
    ],
    ids=" ".join,
)  # fmt: skip
def test_a_force_not_in_the_directory_is_named_before_any_database(
    command: list[str], postgres_url: str, namespace: str
) -> None:
    done = interforce(
        *command, "--force", "XYZ",
        INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_NAMESPACE=namespace,
    )  # fmt: skip
    line = only_line(done, 2)
    assert line.startswith("error: XYZ is not a force in the directory (")
    assert "INTERFORCE_DIRECTORY" in line
    assert databases(postgres_url, f"{namespace}\\_%") == []


def test_a_mistyped_force_is_named_with_the_nearest_forces_and_never_an_authority(
    postgres_url: str, namespace: str
) -> None:
    for typed, nearest in (("GMPP", "GMP"), ("PSOSX", None)):
        done = interforce(
            "users", "list", "--force", typed,
            INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_NAMESPACE=namespace,
        )  # fmt: skip
        line = only_line(done, 2)
        assert line.startswith(f"error: {typed} is not a force in the directory (")
        assert "PSOS" not in line.removeprefix(f"error: {typed}"), "an authority runs no node"
        if nearest:
            assert f"(did you mean {nearest}," in line


def test_node_run_names_a_force_not_in_the_directory(namespace: str) -> None:
    done = interforce(
        "node", "run", "--force", "XYZ", INTERFORCE_NAMESPACE=namespace,
        INTERFORCE_SIGNING_KEY=str(key_path("wmp-2024")),
    )  # fmt: skip
    line = refusal(done, 2)
    assert line.startswith("error: XYZ is not a force in the directory (")
    assert line.endswith("check --force, or INTERFORCE_DIRECTORY")


@pytest.mark.parametrize(
    "command",
    [
        ["users", "add", "dc.shah", "--role", "coordinator", "--name", "DC Priya Shah",
         "--password-stdin"],
        ["users", "list"], ["users", "disable", "dc.shah"],
        ["pending", "--as", "dc.shah"],
    ],
    ids=lambda command: " ".join(command[:2]),
)  # fmt: skip
def test_a_force_with_no_database_is_told_to_migrate_and_nothing_is_created(
    command: list[str], postgres_url: str, namespace: str
) -> None:
    done = interforce(
        *command, "--force", "WMP", stdin=f"{PASSWORD}\n",
        INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_NAMESPACE=namespace,
    )  # fmt: skip
    line = only_line(done, 2)
    assert f"no database {namespace}_wmp" in line
    assert "run `interforce db migrate --force WMP` first" in line
    assert databases(postgres_url, f"{namespace}\\_%") == []


def test_users_refuse_a_database_that_is_not_migrated_and_leave_it_empty(
    postgres_url: str, namespace: str
) -> None:
    url = asyncio.run(ensure_database(postgres_url, f"{namespace}_wmp"))
    done = interforce(
        "users", "list", "--force", "WMP",
        INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_NAMESPACE=namespace,
    )  # fmt: skip
    line = only_line(done, 2)
    assert line.startswith(f"error: the database {namespace}_wmp lacks ")
    assert line.endswith("run `interforce db migrate --force WMP` first")
    assert asyncio.run(tables(url)) == []


async def tables(url: str) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("select tablename from pg_tables where schemaname = 'public'")
    finally:
        await connection.close()
    return [row["tablename"] for row in rows]


def test_audit_verify_of_a_force_with_no_database_says_to_create_it(
    postgres_url: str, namespace: str
) -> None:
    done = interforce(
        "audit", "verify", "--force", "WMP",
        INTERFORCE_DATABASE_URL=postgres_url, INTERFORCE_NAMESPACE=namespace,
    )  # fmt: skip
    line = only_line(done, 2)
    assert f'database "{namespace}_wmp" does not exist' in line
    assert "interforce db migrate --force" in line
    assert databases(postgres_url, f"{namespace}\\_%") == []


def test_users_add_works_once_the_database_is_migrated(postgres_url: str, namespace: str) -> None:
    settings = {"INTERFORCE_DATABASE_URL": postgres_url, "INTERFORCE_NAMESPACE": namespace}
    migrated = interforce("db", "migrate", "--force", "WMP", **settings)
    assert migrated.returncode == 0, migrated.stderr
    added = interforce(
        "users", "add", "dc.shah", "--role", "coordinator", "--name", "DC Priya Shah",
        "--password-stdin", "--force", "WMP", stdin=f"{PASSWORD}\n", **settings,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = interforce("users", "list", "--force", "WMP", **settings)
    assert listed.stdout.startswith("dc.shah\tcoordinator\tDC Priya Shah\tactive")


def test_a_setting_that_does_not_parse_is_named() -> None:
    done = interforce("users", "list", "--force", "WMP", INTERFORCE_HEALTH_PORT="eighty")
    line = only_line(done, 2)
    assert line.startswith("error: INTERFORCE_HEALTH_PORT: ")
    assert "'eighty'" in line


def test_a_wrong_login_names_the_settings(postgres_url: str) -> None:
    stranger = postgres_url.replace("postgres@", f"nobody{uuid.uuid4().hex[:6]}@", 1)
    done = interforce("audit", "verify", "--force", "WMP", INTERFORCE_DATABASE_URL=stranger)
    line = only_line(done, 2)
    assert line.startswith("error: PostgreSQL refused the login: ")
    assert "INTERFORCE_DATABASE_URL" in line


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["acl", "plan"], "error: cannot read the directory /nonexistent/directory.json"),
        (["schemas", "check", "--directory", "/nonexistent/directory.json"],
         "error: cannot read /nonexistent/directory.json: No such file or directory"),
        (["message", "check", "/nonexistent/message.json", "--directory", PACKAGED],
         "error: cannot read /nonexistent/message.json: No such file or directory"),
        (["keys", "revoke", "--force", "WMP", "--kid", "wmp-2024"],
         "error: cannot read /nonexistent/directory.json: No such file or directory"),
        (["node", "health", "--url", "health"], "error: --url health is not an http:// URL"),
    ],
    ids=lambda value: " ".join(value[:2]) if isinstance(value, list) else "",
)  # fmt: skip
def test_other_commands_name_what_is_wrong(command: list[str], expected: str) -> None:
    done = interforce(*command, INTERFORCE_DIRECTORY="/nonexistent/directory.json")
    assert only_line(done, 2).startswith(expected)


def test_a_key_file_that_is_not_one_is_named() -> None:
    done = interforce("message", "sign", __file__, "--key", __file__)
    assert only_line(done, 2).startswith(f"error: {__file__} is not a key file")
