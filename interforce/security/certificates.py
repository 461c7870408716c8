"""A local certificate authority and the broker's certificate, as PEM files.

The CA signs one certificate, the broker's, which serves TLS on every listener (SAN
`localhost` and `127.0.0.1`) and is the broker's client certificate on the mutual-TLS
controller and inter-broker listeners, where its subject is the broker's super-user principal.
Python clients trust `ca.pem`; the broker reads `broker.pem` (key and chain) as a PEM keystore.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from interforce.security.credentials import private_file

BROKER_COMMON_NAME = "interforce-broker"
BROKER_PRINCIPAL = f"User:CN={BROKER_COMMON_NAME}"
CA_DAYS = 3650
BROKER_DAYS = 397
RENEW_WITHIN = dt.timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    """Where the CA and broker files are."""

    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca-key.pem"

    @property
    def broker(self) -> Path:
        """The broker's private key, certificate and the CA, in one PEM file."""
        return self.folder / "broker.pem"


def ensure_certificates(files: TlsFiles, hosts: tuple[str, ...]) -> bool:
    """Make the CA and the broker certificate if missing or due; True when anything was made."""
    made = False
    if not (files.ca_cert.exists() and files.ca_key.exists()):
        _write_ca(files)
        made = True
    if made or _needs_broker_certificate(files, hosts):
        _write_broker(files, hosts)
        made = True
    return made


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_ca(files: TlsFiles) -> None:
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "interforce local CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(minutes=5))
        .not_valid_after(_now() + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    private_file(files.ca_key, _key_pem(key))
    files.ca_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _write_broker(files: TlsFiles, hosts: tuple[str, ...]) -> None:
    ca_key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    if not isinstance(ca_key, rsa.RSAPrivateKey):
        raise TypeError(f"{files.ca_key} is not an RSA key")
    key = _key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, BROKER_COMMON_NAME)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(minutes=5))
        .not_valid_after(_now() + dt.timedelta(days=BROKER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName(_names(hosts)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    chain = cert.public_bytes(serialization.Encoding.PEM) + files.ca_cert.read_bytes()
    private_file(files.broker, _key_pem(key) + chain)


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=not cert_sign,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
        crl_sign=cert_sign, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _names(hosts: tuple[str, ...]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(("localhost", "127.0.0.1", *hosts)):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _needs_broker_certificate(files: TlsFiles, hosts: tuple[str, ...]) -> bool:
    if not files.broker.exists():
        return True
    cert = x509.load_pem_x509_certificate(files.broker.read_bytes())
    ca_cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return (
        cert.issuer != ca_cert.subject
        or cert.not_valid_after_utc - _now() < RENEW_WITHIN
        or not set(_names(hosts)) <= set(san)
    )
