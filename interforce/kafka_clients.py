"""Kafka TLS and SASL settings, passed through unchanged to aiokafka and FastStream.

The SASL password comes from `kafka_sasl_password` or from the file `kafka_sasl_password_file`
names (a mounted secret), never from the command line.
"""

from __future__ import annotations

import ssl

from faststream.security import (
    BaseSecurity,
    SASLPlaintext,
    SASLScram256,
    SASLScram512,
)

from interforce.settings import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A TLS context when the security protocol asks for one."""
    if settings.kafka_security_protocol not in ("SSL", "SASL_SSL"):
        return None
    from aiokafka.helpers import create_ssl_context

    context: ssl.SSLContext = create_ssl_context(
        cafile=str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None,
        certfile=str(settings.kafka_ssl_certfile) if settings.kafka_ssl_certfile else None,
        keyfile=str(settings.kafka_ssl_keyfile) if settings.kafka_ssl_keyfile else None,
    )
    return context


def sasl_password(settings: Settings) -> str | None:
    """The SASL password from the setting or from the password file; never both."""
    if settings.kafka_sasl_password is not None and settings.kafka_sasl_password_file:
        raise ValueError(
            "set INTERFORCE_KAFKA_SASL_PASSWORD or INTERFORCE_KAFKA_SASL_PASSWORD_FILE, not both"
        )
    if settings.kafka_sasl_password is not None:
        return settings.kafka_sasl_password.get_secret_value()
    if settings.kafka_sasl_password_file is None:
        return None
    try:
        return settings.kafka_sasl_password_file.read_text().rstrip("\r\n")
    except OSError as error:
        raise ValueError(
            f"cannot read the SASL password file {settings.kafka_sasl_password_file}: "
            f"{error.strerror}"
        ) from error


def client_options(settings: Settings) -> dict[str, object]:
    """Keyword options for aiokafka's producer, consumer and admin clients."""
    options: dict[str, object] = {"security_protocol": settings.kafka_security_protocol}
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.kafka_sasl_mechanism:
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        password = sasl_password(settings)
        if password is not None:
            options["sasl_plain_password"] = password
    return options


def broker_security(settings: Settings) -> BaseSecurity | None:
    """The FastStream security object for the broker, or None for plaintext."""
    context = ssl_context(settings)
    mechanism = settings.kafka_sasl_mechanism
    if mechanism is None:
        return BaseSecurity(ssl_context=context) if context is not None else None
    username = settings.kafka_sasl_username or ""
    password = sasl_password(settings) or ""
    sasl = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}
    return sasl[mechanism](username=username, password=password, ssl_context=context)
