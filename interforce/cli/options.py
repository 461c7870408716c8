"""The options the casework commands share: which force, who is acting, and how to answer.

Only Typer and the standard library here: every command's signature is read when the
command tree is built, for `--help` too.
"""

from __future__ import annotations

from typing import Annotated

import typer

ForceOption = Annotated[
    str | None,
    typer.Option("--force", "-f", help="This force's code, e.g. WMP (or INTERFORCE_FORCE)."),
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--as", "--user", envvar="INTERFORCE_USER", help="Who is acting (or INTERFORCE_USER)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
