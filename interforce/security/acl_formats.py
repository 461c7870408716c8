"""The ACL plan as text, JSON, or `kafka-acls.sh` commands for a production cluster."""

from __future__ import annotations

import json
import shlex
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict

from interforce.security.acl import AclEntry


def as_text(entries: Sequence[AclEntry]) -> str:
    """One aligned line per ACL."""
    header = ("principal", "operation", "resource", "pattern", "name")
    rows = [header] + [
        (e.principal, e.operation, e.resource_type, e.pattern_type, e.resource_name)
        for e in entries
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines) + f"\n# {len(entries)} ACLs, all ALLOW\n"


def as_json(entries: Sequence[AclEntry], namespace: str) -> str:
    """The plan as a JSON document: namespace, count and the bindings."""
    document = {
        "namespace": namespace,
        "count": len(entries),
        "acls": [asdict(e) for e in entries],
    }
    return json.dumps(document, indent=2) + "\n"


def as_kafka_acls(entries: Sequence[AclEntry], namespace: str) -> str:
    """A POSIX shell script of `kafka-acls.sh --add` commands, one per principal and operation.

    It reads BOOTSTRAP and COMMAND_CONFIG (the admin client's properties file) from the
    environment, so no secret appears in the script or on the command line.
    """
    grouped: dict[tuple[str, str, str], list[AclEntry]] = defaultdict(list)
    for entry in entries:
        grouped[(entry.principal, entry.operation, entry.pattern_type)].append(entry)
    lines = [
        "#!/bin/sh",
        f"# interforce ACL plan for namespace {namespace!r}: {len(entries)} ACLs,"
        f" {len(grouped)} commands.",
        "# Needs BOOTSTRAP (the cluster) and COMMAND_CONFIG (an admin client properties file).",
        "# Adding an ACL that exists is a no-op, so the script can be run again.",
        "set -eu",
        ': "${BOOTSTRAP:?set BOOTSTRAP to the cluster bootstrap servers}"',
        ': "${COMMAND_CONFIG:?set COMMAND_CONFIG to the admin client properties file}"',
        'KAFKA_ACLS="${KAFKA_ACLS:-kafka-acls.sh}"',
    ]
    for (who, operation, pattern), group in grouped.items():
        parts = [
            '"$KAFKA_ACLS" --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG"',
            f"--add --allow-principal {shlex.quote(who)} --allow-host '*'",
            f"--operation {operation.capitalize()}",
        ]
        if pattern != "LITERAL":
            parts.append(f"--resource-pattern-type {pattern.lower()}")
        parts += [f"--{e.resource_type.lower()} {shlex.quote(e.resource_name)}" for e in group]
        lines.append(" \\\n  ".join(parts))
    return "\n".join(lines) + "\n"
