"""Settings for a force's node and for the local services, read from `INTERFORCE_*` variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class Settings(BaseSettings):
    """Everything a node or the service launcher can be told, each as `INTERFORCE_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="INTERFORCE_", extra="ignore")

    force: str | None = Field(default=None, description="This node's force code, e.g. `WMP`.")

    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers; defaults to the local broker of `services up`.",
    )
    kafka_security_protocol: SecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None
    kafka_ssl_keyfile: Path | None = None
    kafka_topic_partitions: int = Field(default=3, ge=1)
    kafka_replication_factor: int = Field(default=1, ge=1)

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of the server; defaults to the local one of `services up`.",
    )

    services_dir: Path = Field(
        default=Path(".services"),
        description="Where `services up` keeps Kafka's jars, both data folders and the logs.",
    )
    kafka_host: str = "127.0.0.1"
    kafka_port: int = Field(default=19092, ge=1, le=65535)
    kafka_controller_port: int = Field(default=19093, ge=1, le=65535)
    kafka_heap: str = "512m"
    postgres_host: str = "127.0.0.1"
    postgres_port: int = Field(default=15432, ge=1, le=65535)

    @property
    def kafka_bootstrap_servers(self) -> str:
        """The bootstrap servers the clients use."""
        return self.kafka_bootstrap or f"{self.kafka_host}:{self.kafka_port}"

    @property
    def server_database_url(self) -> str:
        """URL of the PostgreSQL server's maintenance database."""
        return self.database_url or (
            f"postgresql://postgres@{self.postgres_host}:{self.postgres_port}/postgres"
        )
