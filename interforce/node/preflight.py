"""Settings a node would trip over half-way through starting, checked before anything starts.

A wrong SASL or TLS setting otherwise surfaces as the Kafka client's own error after the
database is migrated and other clients are open; here it is one line naming the setting.
"""

from __future__ import annotations

from interforce.kafka_clients import client_options
from interforce.settings import Settings
from producers.disclosure import DisclosurePolicy

SASL_PROTOCOLS = ("SASL_PLAINTEXT", "SASL_SSL")
TLS_FILES = "INTERFORCE_KAFKA_SSL_CAFILE, ..._CERTFILE, ..._KEYFILE"


class NodeSettingsError(ValueError):
    """A setting the node cannot start with; the message names it."""


def check_node_settings(settings: Settings) -> None:
    """Refuse, with one line naming the setting, what would fail only once the node is starting."""
    _check_sasl(settings)
    try:
        client_options(settings)
    except OSError as error:
        msg = f"cannot read the Kafka TLS files ({TLS_FILES}): {error.strerror or error}"
        raise NodeSettingsError(msg) from error
    except ValueError as error:  # the SASL password: its message names the settings
        raise NodeSettingsError(str(error)) from error
    try:
        DisclosurePolicy(settings.disclosure_profiles)
    except ValueError as error:
        raise NodeSettingsError(f"INTERFORCE_DISCLOSURE_PROFILES: {error}") from error


def _check_sasl(settings: Settings) -> None:
    protocol = settings.kafka_security_protocol
    if protocol not in SASL_PROTOCOLS:
        return
    has_password = (
        settings.kafka_sasl_password is not None or settings.kafka_sasl_password_file is not None
    )
    if (
        settings.kafka_sasl_mechanism is None
        or not settings.kafka_sasl_username
        or not has_password
    ):
        msg = (
            f"INTERFORCE_KAFKA_SECURITY_PROTOCOL={protocol} needs INTERFORCE_KAFKA_SASL_MECHANISM,"
            " INTERFORCE_KAFKA_SASL_USERNAME and INTERFORCE_KAFKA_SASL_PASSWORD (or"
            " INTERFORCE_KAFKA_SASL_PASSWORD_FILE)"
        )
        raise NodeSettingsError(msg)
