"""Generated passwords, the local CA and broker certificate, and reading a password file."""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path

import pytest
from cryptography import x509
from pydantic import SecretStr

from interforce.kafka_clients import client_options, sasl_password
from interforce.security.certificates import TlsFiles, ensure_certificates
from interforce.security.credentials import ensure_passwords, password_file
from interforce.settings import Settings


def test_passwords_are_generated_once_each_in_a_private_file(tmp_path: Path) -> None:
    folder = tmp_path / "credentials"
    assert ensure_passwords(folder, ["admin", "wmp"]) == ["admin", "wmp"]
    first = password_file(folder, "wmp").read_text()
    assert ensure_passwords(folder, ["admin", "wmp", "gmp"]) == ["gmp"]
    assert password_file(folder, "wmp").read_text() == first
    assert len(first.strip()) >= 40
    assert first != password_file(folder, "gmp").read_text()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_broker_certificate_is_signed_by_the_local_ca_for_loopback(tmp_path: Path) -> None:
    files = TlsFiles(tmp_path / "tls")
    assert ensure_certificates(files, ("127.0.0.1",))
    assert not ensure_certificates(files, ("127.0.0.1",))  # reused

    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    broker = x509.load_pem_x509_certificate(files.broker.read_bytes())
    assert broker.issuer == ca.subject
    broker.verify_directly_issued_by(ca)
    names = broker.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert b"PRIVATE KEY" in files.broker.read_bytes()
    assert b"PRIVATE KEY" not in files.ca_cert.read_bytes()
    for secret in (files.ca_key, files.broker):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_a_new_host_gets_a_new_broker_certificate(tmp_path: Path) -> None:
    files = TlsFiles(tmp_path / "tls")
    ensure_certificates(files, ("127.0.0.1",))
    assert ensure_certificates(files, ("kafka.example.police.uk",))
    broker = x509.load_pem_x509_certificate(files.broker.read_bytes())
    names = broker.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "kafka.example.police.uk" in names.get_values_for_type(x509.DNSName)


def test_the_sasl_password_comes_from_the_file_without_its_newline(tmp_path: Path) -> None:
    secret = tmp_path / "wmp.password"
    secret.write_text("s3cret-from-file\n")
    settings = Settings(
        kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="wmp", kafka_sasl_password_file=secret,
    )  # fmt: skip
    assert sasl_password(settings) == "s3cret-from-file"
    assert client_options(settings)["sasl_plain_password"] == "s3cret-from-file"


def test_a_password_and_a_password_file_together_are_refused(tmp_path: Path) -> None:
    settings = Settings(kafka_sasl_password=SecretStr("x"), kafka_sasl_password_file=tmp_path / "p")
    with pytest.raises(ValueError, match="not both"):
        sasl_password(settings)


def test_a_missing_password_file_is_named_in_the_error(tmp_path: Path) -> None:
    settings = Settings(kafka_sasl_password_file=tmp_path / "missing")
    with pytest.raises(ValueError, match="missing"):
        sasl_password(settings)
