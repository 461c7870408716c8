"""Only TLS + SASL/SCRAM-SHA-512 with the right password gets in; the broker's own
mutual-TLS listeners take nobody without a certificate from its CA."""

from __future__ import annotations

import ssl

import pytest
from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed
from pydantic import SecretStr

from interforce.kafka_clients import client_options
from interforce.security.acl import ADMIN_USER, force_user
from interforce.settings import Settings
from schemas.directory import load_directory
from tests.integration.security.clients import ask_metadata, visible_topics
from tests.integration.security.conftest import Ledger
from tooling.services.secure_kafka import LocalSecureKafka

pytestmark = pytest.mark.integration

ME = force_user("WMP")


def variant(broker: LocalSecureKafka, **changes: object) -> dict[str, object]:
    """The client options of WMP's settings with `changes` applied."""
    return client_options(broker.client_settings(ME).model_copy(update=changes))


REFUSED: list[tuple[str, dict[str, object], type[Exception]]] = [
    ("PLAINTEXT", {"kafka_security_protocol": "PLAINTEXT", "kafka_sasl_mechanism": None},
     KafkaConnectionError),
    ("SSL without SASL", {"kafka_security_protocol": "SSL", "kafka_sasl_mechanism": None},
     KafkaConnectionError),
    ("SASL without TLS", {"kafka_security_protocol": "SASL_PLAINTEXT"}, KafkaConnectionError),
    ("SASL_SSL, wrong password",
     {"kafka_sasl_password_file": None, "kafka_sasl_password": SecretStr("not-the-password")},
     SaslAuthenticationFailed),
    ("SASL_SSL, unknown user", {"kafka_sasl_username": "nobody"}, SaslAuthenticationFailed),
    ("SASL_SSL, broker not trusted (system CAs)", {"kafka_ssl_cafile": None},
     ssl.SSLCertVerificationError),
]  # fmt: skip


@pytest.mark.parametrize(("how", "changes", "error"), REFUSED, ids=[how for how, _, _ in REFUSED])
async def test_a_client_without_valid_credentials_is_refused(
    secure_broker: LocalSecureKafka,
    ledger: Ledger,
    how: str,
    changes: dict[str, object],
    error: type[Exception],
) -> None:
    options = variant(secure_broker, **changes)
    raised = await ledger.attempt(
        ME, f"connect {how}", "refused", ask_metadata(secure_broker.endpoint, options)
    )
    assert isinstance(raised, error), f"{how}: expected {error.__name__}, got {raised!r}"


@pytest.mark.parametrize("listener", ["internal", "controller"])
async def test_the_brokers_own_listeners_refuse_a_client_without_its_certificate(
    secure_broker: LocalSecureKafka, ledger: Ledger, listener: str
) -> None:
    settings = secure_broker.settings
    port = {
        "internal": settings.kafka_secure_internal_port,
        "controller": settings.kafka_secure_controller_port,
    }[listener]
    options = variant(secure_broker, kafka_security_protocol="SSL", kafka_sasl_mechanism=None)
    raised = await ledger.attempt(
        ME, f"connect SSL to the {listener} listener", "refused",
        ask_metadata(f"{settings.kafka_host}:{port}", options),
    )  # fmt: skip
    assert isinstance(raised, KafkaConnectionError | ssl.SSLError), repr(raised)


async def test_a_node_configured_by_environment_with_a_password_file_gets_in(
    secure_broker: LocalSecureKafka, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        "INTERFORCE_KAFKA_BOOTSTRAP": secure_broker.endpoint,
        "INTERFORCE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "INTERFORCE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "INTERFORCE_KAFKA_SASL_USERNAME": ME,
        "INTERFORCE_KAFKA_SASL_PASSWORD_FILE": str(secure_broker.password_file(ME)),
        "INTERFORCE_KAFKA_SSL_CAFILE": str(secure_broker.tls.ca_cert),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("INTERFORCE_KAFKA_SASL_PASSWORD", raising=False)

    raised = await ledger.attempt(
        ME, "connect SASL_SSL with the password file", "allowed", visible_topics(Settings())
    )
    assert raised is None, repr(raised)


async def test_the_admin_gets_in_and_sees_every_topic(
    secure_broker: LocalSecureKafka, ledger: Ledger
) -> None:
    seen: set[str] = set()

    async def list_them() -> None:
        seen.update(await visible_topics(secure_broker.client_settings(ADMIN_USER)))

    raised = await ledger.attempt(ADMIN_USER, "list topics", "allowed", list_them())

    assert raised is None, repr(raised)
    forces = len(load_directory().forces)
    # each force's inbox, dead-letter and audit checkpoint topics
    assert len({name for name in seen if name.startswith("interforce.")}) == 3 * forces
