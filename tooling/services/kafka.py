"""A single-node Kafka broker in KRaft mode, run natively with the machine's Java.

The broker's jars come from Maven Central through the checked-in `pom.xml`
(`mvn dependency:copy-dependencies`) and are cached in the services folder, as is the
storage, which is formatted once.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import shutil
import subprocess
import time
import uuid
from importlib import resources
from pathlib import Path

from interforce.settings import Settings
from tooling.services.errors import ServiceError
from tooling.services.probes import kafka_answers
from tooling.services.process import (
    port_is_open,
    recorded_pid,
    spawn_detached,
    stop_pid,
    tail,
)
from tooling.services.progress import Progress

READY_TIMEOUT_SECONDS = 120.0
MAVEN_TIMEOUT_SECONDS = 900.0


def single_node_storage(settings: Settings, data: Path) -> list[str]:
    """Broker settings for one node: where it stores, and internal topics of one replica."""
    return [
        f"log.dirs={data}",
        f"num.partitions={settings.kafka_topic_partitions}",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=10",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
    ]


class LocalKafka:
    """The local broker: where its files live, how to start, probe and stop it."""

    name = "kafka"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = (settings.services_dir / "kafka").resolve()
        self.libs = self.home / "libs"
        self.data = self.home / "data"
        self.config = self.home / "server.properties"
        self.log4j_config = self.home / "log4j2.properties"
        self.log = self.home / "kafka.log"
        self.maven_log = self.home / "maven.log"
        self.pid_file = self.home / "kafka.pid"

    @property
    def endpoint(self) -> str:
        return f"{self.settings.kafka_host}:{self.settings.kafka_port}"

    def started_pid(self) -> int | None:
        """The pid of a broker that `services up` started and that is still alive."""
        return recorded_pid(self.pid_file)

    async def is_ready(self) -> bool:
        """True when the broker answers a metadata request."""
        if not port_is_open(self.settings.kafka_host, self.settings.kafka_port):
            return False
        return await kafka_answers(self.endpoint)

    async def up(self, progress: Progress) -> None:
        """Reuse a broker that answers; otherwise resolve jars, format storage and start one."""
        if await self.is_ready():
            progress.step(self.name, f"already up at {self.endpoint}; reusing it")
            return
        if self.started_pid() is None:
            host, _, port = self.endpoint.rpartition(":")
            if port_is_open(host, int(port)):
                raise ServiceError(
                    f"{self.endpoint} is taken by a process that is not this broker (another"
                    " checkout's services, or another program): stop it, or choose other ports"
                    " with the INTERFORCE_KAFKA_* port settings"
                )
            await asyncio.to_thread(self._resolve_jars, progress)
            self._write_config()
            await asyncio.to_thread(self._format_storage, progress)
            progress.step(self.name, f"starting broker on {self.endpoint} (log: {self.log})")
            spawn_detached(
                self._java_command("kafka.Kafka", str(self.config)), self.log, self.pid_file
            )
        else:
            progress.step(self.name, "a broker started earlier is still starting; waiting for it")
        await self._wait_ready(progress)

    def down(self, progress: Progress) -> None:
        """Stop the broker if `services up` started it; leave anyone else's alone."""
        pid = self.started_pid()
        if pid is None:
            progress.step(self.name, "not started by interforce; nothing to stop")
            return
        progress.step(self.name, f"stopping broker (pid {pid})")
        stop_pid(pid)
        self.pid_file.unlink(missing_ok=True)
        progress.step(self.name, "stopped")

    async def _wait_ready(self, progress: Progress) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        next_report = time.monotonic() + 5
        while time.monotonic() < deadline:
            if await self.is_ready():
                progress.step(self.name, f"ready at {self.endpoint}")
                return
            if self.started_pid() is None:
                raise ServiceError(
                    f"the Kafka broker exited while starting; see {self.log}:\n{tail(self.log)}"
                )
            if time.monotonic() >= next_report:
                progress.step(self.name, "waiting for the broker to answer metadata requests")
                next_report = time.monotonic() + 5
            await asyncio.sleep(0.5)
        raise ServiceError(
            f"the Kafka broker did not answer within {READY_TIMEOUT_SECONDS:.0f}s; "
            f"see {self.log}:\n{tail(self.log)}"
        )

    def _resolve_jars(self, progress: Progress) -> None:
        pom = resources.files("tooling.services").joinpath("pom.xml")
        pom_digest = hashlib.sha256(pom.read_bytes()).hexdigest()
        stamp = self.libs / ".resolved-from"
        if stamp.exists() and stamp.read_text().strip() == pom_digest:
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ServiceError("Maven (`mvn`) is not on PATH; it is needed to fetch Kafka's jars")
        progress.step(
            self.name, f"resolving the broker's jars from Maven Central (log: {self.maven_log})"
        )
        shutil.rmtree(self.libs, ignore_errors=True)
        self.libs.mkdir(parents=True)
        command = [
            mvn, "-B", "-f", str(pom), "dependency:copy-dependencies",
            f"-DoutputDirectory={self.libs}", "-DincludeScope=runtime",
        ]  # fmt: skip
        self._run_reporting(command, progress)
        stamp.write_text(pom_digest + "\n")
        jars = len(list(self.libs.glob("*.jar")))
        progress.step(self.name, f"{jars} jars cached in {self.libs}")

    def _run_reporting(self, command: list[str], progress: Progress) -> None:
        with self.maven_log.open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            started = time.monotonic()
            while process.poll() is None:
                if time.monotonic() - started > MAVEN_TIMEOUT_SECONDS:
                    process.kill()
                    raise ServiceError(f"Maven took too long; see {self.maven_log}")
                time.sleep(3)
                if process.poll() is None:
                    fetched = self.maven_log.read_text(errors="replace").count("Downloaded from")
                    progress.step(self.name, f"still resolving… {fetched} artefacts downloaded")
        if process.returncode != 0:
            raise ServiceError(
                f"Maven could not resolve the broker's jars; see {self.maven_log}:\n"
                f"{tail(self.maven_log)}"
            )

    def _format_storage(self, progress: Progress) -> None:
        if (self.data / "meta.properties").exists():
            return
        progress.step(self.name, f"formatting KRaft storage in {self.data}")
        cluster_id = new_cluster_id()
        command = self._java_command(
            "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(self.config)
        )
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ServiceError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")

    def _java_command(self, main_class: str, *args: str) -> list[str]:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else (shutil.which("java") or "")
        if not java:
            raise ServiceError("Java 17 or later (`java`) is not on PATH; the broker needs it")
        heap = self.settings.kafka_heap
        return [
            java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.log4j_config}",
            "-cp", f"{self.libs}/*", main_class, *args,
        ]  # fmt: skip

    def _write_config(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self._write_server_properties()
        self._write_log4j_config()

    def _write_server_properties(self) -> None:
        s = self.settings
        self.config.write_text(
            "\n".join(
                [
                    "# Written by `interforce services up`; edits are overwritten.",
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@{s.kafka_host}:{s.kafka_controller_port}",
                    f"listeners=PLAINTEXT://{s.kafka_host}:{s.kafka_port},"
                    f"CONTROLLER://{s.kafka_host}:{s.kafka_controller_port}",
                    f"advertised.listeners=PLAINTEXT://{s.kafka_host}:{s.kafka_port}",
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    *single_node_storage(s, self.data),
                    "",
                ]
            )
        )

    def _write_log4j_config(self) -> None:
        self.log4j_config.write_text(
            "\n".join(
                [
                    "status = warn",
                    "appender.out.type = Console",
                    "appender.out.name = OUT",
                    "appender.out.layout.type = PatternLayout",
                    "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                    "rootLogger.level = info",
                    "rootLogger.appenderRef.out.ref = OUT",
                    "",
                ]
            )
        )


def new_cluster_id() -> str:
    """A random KRaft cluster id, as Kafka's own `Uuid.randomUuid` makes one.

    Base64url can start with `-`, which the storage tool's argument parser reads as an
    option (one format in 64 failed that way); Kafka draws again in that case, and so do we.
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id
