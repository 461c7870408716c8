"""A transfer completes between two nodes that reach Kafka only over TLS and SASL/SCRAM."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from interforce.kafka_clients import client_options
from interforce.topics import ensure_topics
from schemas.topics import dead_letter_topic, inbox_topic
from tests.support.federation import plans, running
from tests.support.nodes import Federation
from tests.support.waiting import eventually
from tooling.autopilot import Autopilot
from tooling.services.secure_kafka import LocalSecureKafka

pytestmark = pytest.mark.e2e

FORCES = ("GMP", "WMP")


async def fresh_topics(broker: LocalSecureKafka) -> None:
    """As admin: delete and recreate the two forces' topics, so no earlier run's messages remain."""
    admin_settings = broker.client_settings("admin")
    options = client_options(admin_settings)
    names = [topic(f) for f in FORCES for topic in (inbox_topic, dead_letter_topic)]
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.endpoint, **options)
    await admin.start()
    try:
        await admin.delete_topics(names)

        async def gone() -> bool:
            return not set(names) & set(await admin.list_topics())

        await eventually(gone, within=30, every=0.2)
    finally:
        await admin.close()

    async def recreated() -> bool:
        try:
            await ensure_topics(
                broker.endpoint, names, partitions=3, replication_factor=1, client_options=options
            )
        except Exception:  # still being deleted: try again
            return False
        return True

    await eventually(recreated, within=30, every=0.5)


def secure_env(broker: LocalSecureKafka) -> dict[str, dict[str, str]]:
    env = {}
    for force in FORCES:
        settings = broker.client_settings(force.lower())
        env[force] = {
            "INTERFORCE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "INTERFORCE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "INTERFORCE_KAFKA_SASL_USERNAME": force.lower(),
            "INTERFORCE_KAFKA_SASL_PASSWORD_FILE": str(settings.kafka_sasl_password_file),
            "INTERFORCE_KAFKA_SSL_CAFILE": str(settings.kafka_ssl_cafile),
            "INTERFORCE_KAFKA_CREATE_TOPICS": "false",
        }
    return env


async def test_a_transfer_completes_over_tls_and_sasl(
    secure_broker: LocalSecureKafka, postgres_url: str, tmp_path: Path
) -> None:
    await fresh_topics(secure_broker)
    env = secure_env(secure_broker)
    federation = Federation(
        namespace="interforce",  # the namespace the ACL plan grants
        kafka_bootstrap=secure_broker.endpoint,
        postgres_url=postgres_url,
        logs=tmp_path,
        database_namespace=f"t{uuid.uuid4().hex[:10]}",
        force_env=lambda force: env[force],
    )
    planned = plans("GMP", "WMP", 3)
    async with running(federation, FORCES) as run:
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()
        await pilot.run_until_converged(within=120)
        for plan in planned:
            for force in FORCES:
                record = await run.desks[force].record(plan.reference)
                assert record is not None
                assert (record.owner, record.epoch) == ("WMP", 2)
        for force in FORCES:
            assert await run.count(force, "select count(*) from dead_letters") == 0
        log = (tmp_path / "gmp-1.log").read_text()
    assert "SASL" not in log or "password" not in log.lower()
