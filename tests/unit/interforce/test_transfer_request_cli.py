"""`interforce transfer request` and `decline-request`: help, and refusals before any I/O."""

from __future__ import annotations

from typer.testing import CliRunner

from interforce.cli import build_app

ASK = [
    "transfer", "request", "GMP-2024-000001", "--owner", "GMP", "--family-name", "Example",
    "--given-names", "Alan", "--born", "1975-03-14", "--registered-on", "2025-03-01",
    "--address", "4 Arrival Road", "--town", "Birmingham", "--postcode", "B1 1AA",
    "--force", "WMP", "--as", "coordinator",
]  # fmt: skip


def test_request_help_names_the_owner_the_identity_and_json() -> None:
    result = CliRunner().invoke(build_app(), ["transfer", "request", "--help"])
    assert result.exit_code == 0
    for option in ("--owner", "--pnc", "--visor", "--registered-on", "--json"):
        assert option in result.output
    assert "unannounced" in result.output


def test_decline_request_help_lists_the_reason_codes() -> None:
    result = CliRunner().invoke(build_app(), ["transfer", "decline-request", "--help"])
    assert result.exit_code == 0
    for code in ("not_owner", "not_known", "not_moving", "other"):
        assert code in result.output


def test_a_pnc_id_with_the_wrong_check_letter_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(build_app(), [*ASK, "--pnc", "98/123456B"])
    assert result.exit_code == 2
    assert "should end in G, not B" in result.output
    assert "Traceback" not in result.output


def test_a_malformed_visor_reference_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(build_app(), [*ASK, "--visor", "??"])
    assert result.exit_code == 2
    assert "not a ViSOR nominal reference" in result.output


def test_register_takes_a_visor_reference_and_checks_the_pnc_id() -> None:
    register = [
        "record", "register", "GMP-2024-000001", "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan", "--born", "1975-03-14", "-f", "GMP", "--as", "registrar",
    ]  # fmt: skip
    help_text = CliRunner().invoke(build_app(), ["record", "register", "--help"]).output
    assert "--visor" in help_text
    result = CliRunner().invoke(build_app(), [*register, "--pnc", "98/123456B"])
    assert result.exit_code == 2
    assert "should end in G, not B" in result.output
