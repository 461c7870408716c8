"""The optional extras the development commands need, and the one line when one is missing.

`services`, `demo` and `bench` drive the development tooling (the `tooling` package), whose
third-party needs are not runtime dependencies: `pip install 'interforce[local]'` brings the
native PostgreSQL and the process helpers, `pip install 'interforce[bench]'` the chart and
the process meters. A command whose extra is missing says which to install and exits 2,
before it imports any of the tooling.
"""

from __future__ import annotations

import importlib.util

import typer

MISSING_EXTRA = 2
"""Exit code for a command whose extra is not installed: the set-up is wrong."""


def require_extra(command: str, extra: str, *modules: str) -> None:
    """Exit 2 with one line naming `extra` unless every one of `modules` can be imported."""
    missing = [module for module in modules if importlib.util.find_spec(module) is None]
    if missing:
        typer.echo(
            f"error: `interforce {command}` needs the [{extra}] extra"
            f" ({', '.join(missing)} not installed): pip install 'interforce[{extra}]'",
            err=True,
        )
        raise typer.Exit(MISSING_EXTRA)
