"""A node refuses, before it starts anything, settings it would only trip over while starting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interforce.node.preflight import NodeSettingsError, check_node_settings
from interforce.settings import Settings


def settings(**values: Any) -> Settings:
    return Settings(**values)


def test_plain_settings_pass() -> None:
    check_node_settings(settings())


def test_sasl_without_credentials_names_what_to_set() -> None:
    with pytest.raises(NodeSettingsError, match="INTERFORCE_KAFKA_SASL_USERNAME"):
        check_node_settings(settings(kafka_security_protocol="SASL_SSL"))
    with pytest.raises(NodeSettingsError, match="INTERFORCE_KAFKA_SASL_MECHANISM"):
        check_node_settings(
            settings(
                kafka_security_protocol="SASL_PLAINTEXT",
                kafka_sasl_username="wmp",
                kafka_sasl_password="secret",
            )
        )


def test_sasl_with_credentials_passes() -> None:
    check_node_settings(
        settings(
            kafka_security_protocol="SASL_PLAINTEXT",
            kafka_sasl_mechanism="SCRAM-SHA-512",
            kafka_sasl_username="wmp",
            kafka_sasl_password="secret",
        )
    )


def test_an_unreadable_password_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "password"
    with pytest.raises(NodeSettingsError, match="cannot read the SASL password file"):
        check_node_settings(
            settings(
                kafka_security_protocol="SASL_PLAINTEXT",
                kafka_sasl_mechanism="PLAIN",
                kafka_sasl_username="wmp",
                kafka_sasl_password_file=missing,
            )
        )


def test_unreadable_tls_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(NodeSettingsError, match="INTERFORCE_KAFKA_SSL_CAFILE"):
        check_node_settings(
            settings(kafka_security_protocol="SSL", kafka_ssl_cafile=tmp_path / "ca.pem")
        )


def test_an_unknown_disclosure_profile_is_named() -> None:
    with pytest.raises(NodeSettingsError, match="INTERFORCE_DISCLOSURE_PROFILES: unknown"):
        check_node_settings(settings(disclosure_profiles={"BTP": "everything"}))
