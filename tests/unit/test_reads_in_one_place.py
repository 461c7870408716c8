"""The node's tables are queried from `ownership/adapters/views.py`, not from the tools.

The command line, the dashboard and the node's services read the records, outbox, inbox,
dead letters, audit log and consumed offsets through the views; a string literal naming one
of those tables after ``from`` in their code is SQL that has crept back. The dashboard's own
account, session and throttle tables are its own business and are not scanned.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("interforce/cli", "interforce/web", "interforce/node")
WEB_OWN_TABLES = {
    "interforce/web/accounts.py",
    "interforce/web/sessions.py",
    "interforce/web/throttle.py",
}
NODE_TABLES = (
    "offender_records",
    "outbox",
    "dead_letters",
    "audit_log",
    "inbox",
    "consumed_offsets",
)
QUERY = re.compile(rf"\bfrom\s+({'|'.join(NODE_TABLES)})\b", re.IGNORECASE)


def string_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Each string constant in `tree` with its line, the fixed parts of f-strings included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def queries_in(source: str, filename: str) -> list[str]:
    """``file:line: text`` of each string literal in `source` that queries a node table."""
    found = []
    for line, text in string_literals(ast.parse(source, filename=filename)):
        if match := QUERY.search(text):
            found.append(f"{filename}:{line}: {match[0]}")
    return found


def scanned_files() -> Iterator[Path]:
    for folder in SCANNED:
        for file in sorted((ROOT / folder).rglob("*.py")):
            if file.relative_to(ROOT).as_posix() not in WEB_OWN_TABLES:
                yield file


def test_the_scan_finds_a_query_on_a_node_table() -> None:
    source = 'rows = await pool.fetch(f"select state FROM  offender_records where {w}")\n'
    source += 'n = await pool.execute("delete from inbox" " where received_at < $1")\n'
    source += 'ok = "select * from accounts; from outboxes"\n'
    assert sorted(queries_in(source, "x.py")) == [
        "x.py:1: FROM  offender_records",
        "x.py:2: from inbox",
    ]


def test_no_tool_queries_the_node_tables_itself() -> None:
    found = [
        hit
        for file in scanned_files()
        for hit in queries_in(file.read_text(encoding="utf-8"), str(file.relative_to(ROOT)))
    ]
    assert found == [], "query these through ownership/adapters/views.py:\n" + "\n".join(found)


def test_the_scan_covers_the_tools() -> None:
    files = {file.relative_to(ROOT).as_posix() for file in scanned_files()}
    assert {
        "interforce/cli/desk.py",
        "interforce/web/records.py",
        "interforce/node/runtime.py",
    } <= files
    assert not files & WEB_OWN_TABLES
