"""The message corpus: good and bad messages as raw bytes, each with the reason it must get.

`manifest.json` lists every file with `reason` (a registry reason code, or null for a message
that must be accepted), `recipient` (the force whose inbox it is delivered to and as which it is
checked), and for good messages the `type` and `version`. Regenerate with
`python -m tests.corpus.generate`; the output is byte-for-byte stable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).parent
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class CorpusCase:
    """One corpus message: its bytes, where it is delivered, and what must happen to it."""

    name: str
    raw: bytes
    recipient: str
    reason: str | None
    description: str
    message_type: str | None = None
    version: str | None = None


def load_corpus(folder: Path = CORPUS_DIR) -> list[CorpusCase]:
    """Every case in the manifest under `folder`, bad and good, in manifest order."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return [
        CorpusCase(
            name=entry["file"],
            raw=(folder / entry["file"]).read_bytes(),
            recipient=entry["recipient"],
            reason=entry["reason"],
            description=entry["description"],
            message_type=entry.get("type"),
            version=entry.get("version"),
        )
        for entry in manifest
    ]
