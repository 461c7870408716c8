"""Which errors the `interforce` command turns into one line, and with which exit code."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError
from pydantic import ValidationError

from interforce.cli.refusals import UNREACHABLE, USAGE, OperatorError, Refusal, explain
from interforce.settings import Settings
from interforce.web.secrets_source import SessionSecretError, session_secret
from tooling.services.process import free_port


def settings_error(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> ValidationError:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as raised:
        Settings()
    return raised.value


def refused_by_postgres(url: str) -> BaseException:
    async def connect() -> None:
        await asyncpg.connect(url, timeout=5)

    with pytest.raises(Exception) as raised:  # noqa: PT011 - whichever the driver raises
        asyncio.run(connect())
    return raised.value


def test_an_invalid_setting_is_named_as_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    refusal = explain(settings_error(monkeypatch, "INTERFORCE_HEALTH_PORT", "abc"))
    assert refusal is not None
    assert refusal.exit_code == USAGE
    assert refusal.message.startswith("INTERFORCE_HEALTH_PORT: ")
    assert "'abc'" in refusal.message


@pytest.mark.parametrize("url", ["mysql://root@db/x", "sqlite:///x.db", "db.example:5432"])
def test_a_database_url_that_is_not_postgresql_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    refusal = explain(settings_error(monkeypatch, "INTERFORCE_DATABASE_URL", url))
    assert refusal == Refusal(
        "INTERFORCE_DATABASE_URL: must be a postgresql:// (or postgres://) URL", USAGE
    )


def test_a_refused_database_url_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    refusal = explain(settings_error(monkeypatch, "INTERFORCE_DATABASE_URL", "mysql://u:pw@h/x"))
    assert refusal is not None
    assert "pw" not in refusal.message


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:15432/postgres",
        "postgres://u:p@db.example/postgres",
        "postgresql://u@h1:5432,h2:5433/postgres?target_session_attrs=read-write",
    ],
)
def test_postgresql_urls_are_accepted(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("INTERFORCE_DATABASE_URL", url)
    assert Settings().database_url == url


def test_a_database_that_does_not_answer_is_unreachable() -> None:
    refusal = explain(refused_by_postgres(f"postgresql://postgres@127.0.0.1:{free_port()}/x"))
    assert refusal is not None
    assert refusal.exit_code == UNREACHABLE
    assert refusal.message.startswith("cannot reach PostgreSQL: ")
    assert "INTERFORCE_DATABASE_URL" in refusal.message


def test_a_broker_that_does_not_answer_is_unreachable() -> None:
    error = KafkaConnectionError("Unable to bootstrap from [('10.0.0.9', 9093, <AF_INET: 2>)]")
    assert explain(error) == Refusal(
        "cannot reach the Kafka broker at 10.0.0.9:9093; check INTERFORCE_KAFKA_BOOTSTRAP"
        " and that Kafka is running",
        UNREACHABLE,
    )


def test_a_connection_refused_outside_the_clients_is_a_bug_with_its_traceback() -> None:
    assert explain(ConnectionRefusedError(111, "Connection refused")) is None


def test_unexpected_errors_keep_their_traceback() -> None:
    for error in (KeyError("x"), ValueError("bad"), RuntimeError("boom"), ZeroDivisionError()):
        assert explain(error) is None


def test_a_group_is_explained_only_when_every_member_is() -> None:
    known = OperatorError("name the force")
    assert explain(ExceptionGroup("g", [known, OperatorError("again")])) == Refusal(
        "name the force", USAGE
    )
    assert explain(ExceptionGroup("g", [known, KeyError("x")])) is None


def test_a_missing_file_names_it() -> None:
    error = FileNotFoundError(2, "No such file or directory", "/etc/interforce/wmp.json")
    assert explain(error) == Refusal(
        "cannot read /etc/interforce/wmp.json: No such file or directory", USAGE
    )


def test_a_short_session_key_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTERFORCE_WEB_SESSION_SECRET", "too-short")
    with pytest.raises(SessionSecretError) as raised:
        session_secret(Settings())
    refusal = explain(raised.value)
    assert refusal is not None
    assert refusal.exit_code == USAGE
    assert "INTERFORCE_WEB_SESSION_SECRET" in refusal.message
    assert "too-short" not in refusal.message
