"""Settings for a force's node and for the local services, read from `INTERFORCE_*` variables."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from interforce.logging_setup import LEVELS

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
Environment = Literal["production", "development"]
DATABASE_URL_SCHEMES = ("postgresql", "postgres")


class Settings(BaseSettings):
    """Everything a node or the service launcher can be told, each as `INTERFORCE_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="INTERFORCE_", extra="ignore")

    force: str | None = Field(default=None, description="This node's force code, e.g. `WMP`.")
    environment: Environment = Field(
        default="production",
        description="`production` refuses to start a node without a configured directory or"
        " with a directory that lists a key whose private half ships with interforce's tests;"
        " `development` (the demo, the bench and the tests) allows both.",
    )
    namespace: str = Field(
        default="interforce",
        pattern=r"^[a-z][a-z0-9_]{0,30}$",
        description="Prefix of the topics (`<ns>.<force>.inbox`) and databases (`<ns>_<force>`)"
        " of one federation, so several can share a Kafka cluster and a PostgreSQL server.",
    )

    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers; defaults to the local broker of `services up`.",
    )
    kafka_security_protocol: SecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_sasl_password_file: Path | None = Field(
        default=None,
        description="A file holding the SASL password (one line), e.g. a mounted secret;"
        " use it or `kafka_sasl_password`, not both.",
    )
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None
    kafka_ssl_keyfile: Path | None = None
    kafka_create_topics: bool = Field(
        default=True,
        description="The node creates its own inbox and dead-letter topics; turn off where the"
        " Kafka administrators manage topics (the node then checks they exist).",
    )
    kafka_topic_partitions: int = Field(default=3, ge=1)
    kafka_replication_factor: int = Field(default=1, ge=1)

    database_namespace: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_]{0,30}$",
        description="Prefix of the force databases when it differs from `namespace`.",
    )
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of the server; defaults to the local one of `services up`.",
    )

    directory: Path | None = Field(
        default=None,
        description="The force directory file; defaults to the one packaged with interforce.",
    )
    signing_key: Path | None = Field(
        default=None,
        description="This force's Ed25519 key file (JSON with kid, force, private_key).",
    )
    signing_keys_dir: Path | None = Field(
        default=None,
        description="A folder of this force's key files (`interforce keys rotate` writes there);"
        " each message is signed with the newest key the directory lists as valid. Use it or"
        " `signing_key`.",
    )
    directory_refresh_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How often the node looks for a changed directory file or key folder.",
    )
    max_clock_skew_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How far ahead of this node's clock a message may be dated; a message"
        " dated further ahead is refused as `time-skew`.",
    )
    disclosure_profiles: dict[str, str] = Field(
        default_factory=dict,
        description="Recipient force code -> disclosure profile, for recipients that are"
        ' specialist units (JSON, e.g. `{"BTP": "specialist_unit"}`); the rest get'
        " `receiving_force`.",
    )
    database_user: str | None = Field(
        default=None,
        description="Connect as this role (made by `interforce db role`) instead of the"
        " server URL's user; the node then neither creates its database nor needs a superuser.",
    )
    database_password_file: Path | None = Field(
        default=None, description="A file holding `database_user`'s password (one line)."
    )
    audit_checkpoint_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How often the node signs a checkpoint of its audit log's head into the"
        " database and onto its `<ns>.<force>.audit` topic (also at start and clean shutdown;"
        " 0 = only then). Rows deleted from the log's end since the last checkpoint on the"
        " topic are the ones `audit verify` cannot find.",
    )
    consumer_batch_size: int = Field(default=500, ge=1)
    stall_failures: int = Field(
        default=3,
        ge=1,
        description="An inbox partition whose batch failed this many times in a row is"
        " reported stalled (health not ready, an error logged, an audit entry).",
    )
    stall_seconds: float = Field(
        default=60.0,
        gt=0,
        description="An inbox partition with records waiting that has not advanced for this"
        " long is reported stalled.",
    )
    relay_batch_size: int = Field(default=500, ge=1)
    relay_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_retention_days: int = Field(default=30, ge=1)
    inbox_retention_days: int = Field(
        default=90, ge=1, description="Keep inbox ids longer than any redelivery window."
    )
    database_pool_size: int = Field(default=10, ge=2)
    node_parts: Literal["all", "inbox", "relay"] = Field(
        default="all",
        description="What this node process runs: everything; only the inbox consumer; or"
        " the outbox relay with maintenance and the node's services (scheduler,"
        " reconciliation). One force's node may run as an `inbox` and a `relay` process"
        " side by side, to use two cores.",
    )
    acknowledge_days: int = Field(
        default=5, ge=0, description="Days the receiver has to acknowledge a notification."
    )
    accept_days_after_move: int = Field(
        default=7, ge=0, description="Days after the expected move date to accept ownership."
    )
    return_days_after_end: int = Field(
        default=2, ge=0, description="Days after a temporary move's end date for the return."
    )
    escalate_every_days: int = Field(
        default=3,
        ge=1,
        description="Days between rungs of the ladder: offender manager, supervisor, MAPPA"
        " coordinator.",
    )
    expire_days_after_due: int = Field(
        default=14,
        ge=1,
        description="Days past due (after the last rung) when a transfer waiting for the"
        " receiving force expires.",
    )
    commit_days: int = Field(
        default=3,
        ge=0,
        description="Days after the receiver's acceptance for the owner to commit the handover;"
        " then the commit is chased up the ladder.",
    )
    acceptance_valid_days: int = Field(
        default=28,
        ge=1,
        description="Days an acceptance stays valid uncommitted; after them it lapses and the"
        " owner keeps the record at the same epoch. Must be more than the commit's service"
        " level and the ladder's last rung.",
    )
    scheduler_clock_offset_days: int = Field(
        default=0,
        ge=0,
        description="Development only: the deadline scheduler reads the clock this many days"
        " ahead, so a test or the demo sees a deadline pass; refused outside development mode.",
    )
    answer_request_days: int = Field(
        default=5,
        ge=0,
        description="Days the owner has to answer a request for a transfer (start it or"
        " decline) before the request climbs the escalation ladder.",
    )
    scheduler_interval_seconds: float = Field(
        default=900.0, ge=0, description="How often the node chases overdue steps; 0 turns it off."
    )
    reconcile_interval_seconds: float = Field(
        default=86400.0,
        ge=0,
        description="How often the node reconciles with its counterparts; 0 turns it off.",
    )
    reconcile_settle_seconds: float = Field(
        default=600.0,
        ge=0,
        description="Records that moved more recently are left for the next reconciliation.",
    )
    health_host: str = "127.0.0.1"
    health_port: int = Field(default=0, ge=0, le=65535, description="0 turns it off.")
    log_format: Literal["text", "json"] = "text"
    log_level: str = Field(
        default="INFO", description="DEBUG, INFO, WARNING, ERROR or CRITICAL (any case)."
    )
    event_loop: Literal["uvloop", "asyncio"] = Field(
        default="uvloop",
        description="The node's event loop: uvloop (about half the CPU per database or broker"
        " round trip) or the standard library's asyncio.",
    )

    web_host: str = Field(default="127.0.0.1", description="Where the dashboard listens.")
    web_port: int = Field(
        default=0, ge=0, le=65535, description="The coordinators' dashboard; 0 turns it off."
    )
    web_session_secret: SecretStr | None = Field(
        default=None,
        description="Key that signs the dashboard's session cookies (32+ characters); every"
        " instance of a force's node needs the same one. Without it or"
        " `web_session_secret_file`, a random key is made at start and sign-ins last until a"
        " restart.",
    )
    web_session_secret_file: Path | None = Field(
        default=None, description="A file holding the session key (one line), e.g. a secret."
    )
    web_session_hours: float = Field(
        default=8.0, gt=0, le=24, description="How long a dashboard sign-in lasts."
    )
    web_secure_cookies: bool = Field(
        default=False,
        description="Send the session cookie over HTTPS only; turn on behind a TLS proxy.",
    )
    web_sign_in_attempts: int = Field(
        default=10,
        ge=1,
        description="Failed sign-ins allowed from one client address per window; then that"
        " address may not sign in until its failures age out of the window.",
    )
    web_sign_in_account_attempts: int = Field(
        default=20,
        ge=2,
        description="Failed sign-ins allowed on one account per window, from all addresses;"
        " more than `web_sign_in_attempts`, so that no single address can lock an account.",
    )
    web_sign_in_window_seconds: int = Field(default=900, ge=1)
    web_trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="Addresses or networks (comma-separated, e.g. `10.0.0.5,fd00::/64`) of"
        " the proxies in front of the dashboard; only requests from these have their"
        " `X-Forwarded-For` believed. None by default: the peer's address is the client's.",
    )

    services_dir: Path = Field(
        default=Path(".services"),
        description="Where `services up` keeps Kafka's jars, both data folders and the logs.",
    )
    kafka_host: str = "127.0.0.1"
    kafka_port: int = Field(default=19092, ge=1, le=65535)
    kafka_controller_port: int = Field(default=19093, ge=1, le=65535)
    kafka_heap: str = "512m"
    kafka_secure_port: int = Field(
        default=19094, ge=1, le=65535, description="The secure broker's TLS + SASL listener."
    )
    kafka_secure_controller_port: int = Field(
        default=19095, ge=1, le=65535, description="The secure broker's controller (mutual TLS)."
    )
    kafka_secure_internal_port: int = Field(
        default=19096,
        ge=1,
        le=65535,
        description="The secure broker's inter-broker listener (mutual TLS, super user only).",
    )
    postgres_host: str = "127.0.0.1"
    postgres_port: int = Field(default=15432, ge=1, le=65535)

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LEVELS:
            raise ValueError(f"must be one of {', '.join(LEVELS)}")
        return level

    @field_validator("web_trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """A comma-separated list, as an environment variable gives it, becomes networks."""
        if isinstance(value, str):
            return tuple(
                ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
            )
        return value

    @model_validator(mode="after")
    def _fake_clock_only_in_development(self) -> Self:
        if self.scheduler_clock_offset_days and self.environment != "development":
            raise ValueError(
                "scheduler_clock_offset_days moves the scheduler's clock: it is allowed only"
                " with INTERFORCE_ENVIRONMENT=development"
            )
        return self

    @model_validator(mode="after")
    def _no_address_locks_an_account(self) -> Self:
        if self.web_sign_in_account_attempts <= self.web_sign_in_attempts:
            raise ValueError(
                "web_sign_in_account_attempts must be more than web_sign_in_attempts,"
                " or a single address could lock any account"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _database_url_is_postgresql(cls, url: str | None) -> str | None:
        # checked here so that a wrong URL is one line at start, not a driver's traceback later
        if url is not None and urlsplit(url).scheme not in DATABASE_URL_SCHEMES:
            msg = "must be a postgresql:// (or postgres://) URL"
            raise ValueError(msg)
        return url

    @property
    def kafka_bootstrap_servers(self) -> str:
        """The bootstrap servers the clients use."""
        return self.kafka_bootstrap or f"{self.kafka_host}:{self.kafka_port}"

    @property
    def database_prefix(self) -> str:
        """The prefix of the force databases: `database_namespace`, else `namespace`."""
        return self.database_namespace or self.namespace

    @property
    def server_database_url(self) -> str:
        """URL of the PostgreSQL server's maintenance database."""
        return self.database_url or (
            f"postgresql://postgres@{self.postgres_host}:{self.postgres_port}/postgres"
        )
