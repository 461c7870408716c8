"""A second native KRaft broker with TLS, SASL/SCRAM-SHA-512 and ACLs: the secure profile.

It runs beside the plain broker, from the same cached jars, with a folder and ports of its own:

- CLIENT (SASL_SSL, `kafka_secure_port`): what forces and the admin connect to;
- INTERNAL (mutual TLS, `kafka_secure_internal_port`): inter-broker, and the launcher's
  own super-user connection that applies SCRAM credentials and ACLs;
- CONTROLLER (mutual TLS, `kafka_secure_controller_port`): KRaft.

SCRAM credentials are set with the Admin API (AlterUserScramCredentials) once the broker is up
rather than with `kafka-storage format --add-scram`: the passwords then go from their 0600
files straight to the broker, never onto a command line that `ps` shows, and a force added to
the directory later gets its credential on the next `up` instead of only at format time.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from importlib import resources
from pathlib import Path

from aiokafka.errors import KafkaError

from interforce.kafka_clients import client_options
from interforce.security.acl import ADMIN_USER, AclEntry, acl_plan, force_user
from interforce.security.certificates import BROKER_PRINCIPAL, TlsFiles, ensure_certificates
from interforce.security.credentials import ensure_passwords, password_file, private_file
from interforce.settings import Settings
from interforce.topics import AUDIT_TOPIC_CONFIG, ensure_topics
from schemas.directory import load_directory
from schemas.topics import audit_topic, dead_letter_topic, inbox_topic
from tooling.services.errors import ServiceError
from tooling.services.kafka import LocalKafka, single_node_storage
from tooling.services.probes import kafka_answers
from tooling.services.process import port_is_open, tail
from tooling.services.progress import Progress

APPLY_TIMEOUT_SECONDS = 180.0
TOPICS_TIMEOUT_SECONDS = 60.0


class LocalSecureKafka(LocalKafka):
    """The secure broker: its files, how to start and probe it, and how clients reach it."""

    name = "kafka-secure"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        plain_home = self.home
        self.home = (settings.services_dir / "kafka-secure").resolve()
        self.libs = plain_home / "libs"  # the jars are shared with the plain broker
        self.maven_log = plain_home / "maven.log"
        self.data = self.home / "data"
        self.config = self.home / "server.properties"
        self.log4j_config = self.home / "log4j2.properties"
        self.log = self.home / "kafka.log"
        self.pid_file = self.home / "kafka.pid"
        self.tls = TlsFiles(self.home / "tls")
        self.passwords = self.home / "credentials"
        self.admin_config = self.home / "admin-mtls.properties"
        self.plan_file = self.home / "acl-plan.tsv"
        self.tool_log4j_config = self.home / "log4j2-tool.properties"

    @property
    def endpoint(self) -> str:
        return f"{self.settings.kafka_host}:{self.settings.kafka_secure_port}"

    @property
    def internal_endpoint(self) -> str:
        return f"{self.settings.kafka_host}:{self.settings.kafka_secure_internal_port}"

    def users(self) -> list[str]:
        """Every SASL user: the admin and one per force in the directory."""
        directory = load_directory(self.settings.directory)
        return [ADMIN_USER, *sorted(force_user(force.code) for force in directory.forces)]

    def plan(self) -> list[AclEntry]:
        """The ACL plan this broker enforces (the same one `interforce acl plan` prints)."""
        directory = load_directory(self.settings.directory)
        codes = [force.code for force in directory.forces]
        return acl_plan(codes, self.settings.namespace)

    def client_settings(self, user: str, password_file: Path | None = None) -> Settings:
        """Settings for a client connecting as `user` over TLS + SASL/SCRAM-SHA-512."""
        return self.settings.model_copy(
            update={
                "kafka_bootstrap": self.endpoint,
                "kafka_security_protocol": "SASL_SSL",
                "kafka_sasl_mechanism": "SCRAM-SHA-512",
                "kafka_sasl_username": user,
                "kafka_sasl_password": None,
                "kafka_sasl_password_file": password_file or self.password_file(user),
                "kafka_ssl_cafile": self.tls.ca_cert,
                "kafka_ssl_certfile": None,
                "kafka_ssl_keyfile": None,
            }
        )

    def password_file(self, user: str) -> Path:
        """The 0600 file holding `user`'s password."""
        return password_file(self.passwords, user)

    async def is_ready(self) -> bool:
        """True when the broker answers a metadata request on its mutual-TLS listener."""
        s = self.settings
        if not (
            port_is_open(s.kafka_host, s.kafka_secure_port)
            and port_is_open(s.kafka_host, s.kafka_secure_internal_port)
            and self.tls.broker.exists()
        ):
            return False
        return await kafka_answers(self.internal_endpoint, **self._broker_identity_options())

    async def up(self, progress: Progress) -> None:
        """Start (or reuse) the broker, then apply credentials, ACLs and topics from the plan."""
        self._prepare_secrets(progress)
        await super().up(progress)
        await asyncio.to_thread(self._apply_access, progress)
        await self._ensure_topics(progress)

    def _prepare_secrets(self, progress: Progress) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o700)
        if ensure_certificates(self.tls, (self.settings.kafka_host,)):
            progress.step(
                self.name, f"made a local CA and the broker certificate in {self.tls.folder}"
            )
        created = ensure_passwords(self.passwords, self.users())
        if created:
            progress.step(
                self.name, f"generated {len(created)} SCRAM passwords in {self.passwords} (0600)"
            )

    def _broker_identity_options(self) -> dict[str, object]:
        """aiokafka options for the broker's own mutual-TLS identity (its super user)."""
        identity = self.settings.model_copy(
            update={
                "kafka_security_protocol": "SSL",
                "kafka_sasl_mechanism": None,
                "kafka_ssl_cafile": self.tls.ca_cert,
                "kafka_ssl_certfile": self.tls.broker,
                "kafka_ssl_keyfile": self.tls.broker,
            }
        )
        return client_options(identity)

    def _apply_access(self, progress: Progress) -> None:
        private_file(self.plan_file, _plan_tsv(self.plan()).encode())
        private_file(self.admin_config, self._admin_properties().encode())
        self.tool_log4j_config.write_text(
            "status = warn\nappender.err.type = Console\nappender.err.name = ERR\n"
            "appender.err.target = SYSTEM_ERR\nappender.err.layout.type = PatternLayout\n"
            "appender.err.layout.pattern = %p %m (%c)%n\n"
            "rootLogger.level = warn\nrootLogger.appenderRef.err.ref = ERR\n"
        )
        source = resources.files("tooling.services").joinpath("ApplyAccess.java")
        with resources.as_file(source) as java_source:
            command = [
                self._java_command("ApplyAccess")[0], "-Xmx256m",
                f"-Dlog4j2.configurationFile={self.tool_log4j_config}",
                "-cp", f"{self.libs}/*", str(java_source),
                str(self.admin_config), str(self.plan_file), str(self.passwords),
            ]  # fmt: skip
            try:
                result = subprocess.run(
                    command, capture_output=True, text=True, timeout=APPLY_TIMEOUT_SECONDS,
                    check=False,
                )  # fmt: skip
            except subprocess.TimeoutExpired as error:
                raise ServiceError(
                    f"applying SCRAM credentials and ACLs timed out: {error}"
                ) from error
        if result.returncode != 0:
            raise ServiceError(
                "applying SCRAM credentials and ACLs failed:\n"
                + "\n".join((result.stdout + result.stderr).splitlines()[-20:])
            )
        for line in result.stdout.splitlines():
            progress.step(self.name, line)

    def _admin_properties(self) -> str:
        return "\n".join(
            [
                "# Written by `interforce services up --secure`: the launcher's super-user client.",
                f"bootstrap.servers={self.internal_endpoint}",
                "security.protocol=SSL",
                "ssl.keystore.type=PEM",
                f"ssl.keystore.location={self.tls.broker}",
                "ssl.truststore.type=PEM",
                f"ssl.truststore.location={self.tls.ca_cert}",
                "request.timeout.ms=30000",
                "",
            ]
        )

    async def _ensure_topics(self, progress: Progress) -> None:
        """Create every force's inbox, DLQ and audit topic as the admin over TLS + SASL."""
        s = self.settings
        directory = load_directory(s.directory)
        names = [
            name
            for force in directory.forces
            for name in (
                inbox_topic(force.code, s.namespace),
                dead_letter_topic(force.code, s.namespace),
            )
        ]
        audits = [audit_topic(force.code, s.namespace) for force in directory.forces]
        options = client_options(self.client_settings(ADMIN_USER))
        deadline = time.monotonic() + TOPICS_TIMEOUT_SECONDS
        while True:
            try:
                created = await ensure_topics(
                    self.endpoint, names, partitions=s.kafka_topic_partitions,
                    replication_factor=s.kafka_replication_factor, client_options=options,
                )  # fmt: skip
                created += await ensure_topics(
                    self.endpoint, audits, partitions=1,
                    replication_factor=s.kafka_replication_factor, client_options=options,
                    config=AUDIT_TOPIC_CONFIG,
                )  # fmt: skip
                break
            except KafkaError as error:  # the admin's new credential may not be live yet
                if time.monotonic() > deadline:
                    raise ServiceError(
                        f"creating the topics as {ADMIN_USER} failed: {error!r}; "
                        f"see {self.log}:\n{tail(self.log)}"
                    ) from error
                await asyncio.sleep(1)
        planned = len(names) + len(audits)
        progress.step(
            self.name, f"topics as {ADMIN_USER}: {len(created)} created, {planned} in the plan"
        )

    def _write_server_properties(self) -> None:
        s = self.settings
        host = s.kafka_host
        client = f"CLIENT://{host}:{s.kafka_secure_port}"
        internal = f"INTERNAL://{host}:{s.kafka_secure_internal_port}"
        controller = f"CONTROLLER://{host}:{s.kafka_secure_controller_port}"
        scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
        lines = [
            "# Written by `interforce services up --secure`; edits are overwritten.",
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@{host}:{s.kafka_secure_controller_port}",
            f"listeners={client},{internal},{controller}",
            f"advertised.listeners={client},{internal}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=INTERNAL",
            "listener.security.protocol.map=CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL",
            "# Forces and the admin: SASL/SCRAM-SHA-512 over TLS.",
            "sasl.enabled.mechanisms=SCRAM-SHA-512",
            "listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512",
            f"listener.name.client.scram-sha-512.sasl.jaas.config={scram}",
            "# The broker itself: mutual TLS; its certificate's subject is a super user.",
            "listener.name.internal.ssl.client.auth=required",
            "listener.name.controller.ssl.client.auth=required",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={self.tls.broker}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={self.tls.ca_cert}",
            "ssl.enabled.protocols=TLSv1.3,TLSv1.2",
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found=false",
            f"super.users={BROKER_PRINCIPAL};User:{ADMIN_USER}",
            *single_node_storage(s, self.data),
            "",
        ]
        private_file(self.config, "\n".join(lines).encode())


def _plan_tsv(entries: list[AclEntry]) -> str:
    """The plan in the tab-separated form ApplyAccess.java reads."""
    header = "# principal\tresource\tpattern\tname\toperation\tpermission\thost\n"
    return header + "".join(
        f"{e.principal}\t{e.resource_type}\t{e.pattern_type}\t{e.resource_name}\t"
        f"{e.operation}\t{e.permission}\t{e.host}\n"
        for e in entries
    )
