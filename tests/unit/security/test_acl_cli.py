"""`interforce acl plan` in its three formats, on the sub-app alone."""

from __future__ import annotations

import json
import re
import shlex

from typer.testing import CliRunner

from interforce.cli.acl import build

RUNNER = CliRunner()


def test_text_lists_every_acl_with_a_count() -> None:
    result = RUNNER.invoke(build(), ["plan"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["principal", "operation", "resource", "pattern", "name"]
    assert lines[-1] == "# 2114 ACLs, all ALLOW"
    assert "User:wmp     READ       GROUP     LITERAL   interforce.wmp" in lines
    assert len(lines) == 2114 + 2


def test_json_is_the_plan_with_its_namespace() -> None:
    result = RUNNER.invoke(build(), ["plan", "--format", "json", "--namespace", "staging"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert (document["namespace"], document["count"], len(document["acls"])) == (
        "staging", 2114, 2114,
    )  # fmt: skip
    assert {
        "principal": "User:wmp", "resource_type": "TOPIC", "pattern_type": "LITERAL",
        "resource_name": "staging.gmp.inbox", "operation": "WRITE", "permission": "ALLOW",
        "host": "*",
    } in document["acls"]  # fmt: skip


def test_kafka_acls_is_a_shell_script_of_one_command_per_principal_and_operation() -> None:
    result = RUNNER.invoke(build(), ["plan", "--format", "kafka-acls"])
    assert result.exit_code == 0, result.output
    script = result.output
    assert script.startswith("#!/bin/sh\n")
    joined = script.replace("\\\n", " ")
    commands = [shlex.split(c) for c in re.split(r"\n(?=\"\$KAFKA_ACLS\")", joined)[1:]]
    assert len(commands) == 2 + 44 * 2
    wmp_writes = next(c for c in commands if "User:wmp" in c and "Write" in c)
    topics = [wmp_writes[i + 1] for i, word in enumerate(wmp_writes) if word == "--topic"]
    assert len(topics) == 45
    assert "interforce.wmp.inbox" not in topics
    assert "interforce.wmp.dlq" in topics
    wmp_reads = next(c for c in commands if "User:wmp" in c and "Read" in c)
    assert wmp_reads[-4:] == ["--topic", "interforce.wmp.inbox", "--group", "interforce.wmp"]
    assert "password" not in script.lower()


def test_a_bad_namespace_is_refused() -> None:
    result = RUNNER.invoke(build(), ["plan", "--namespace", "Not-OK"])
    assert result.exit_code == 2
