"""`python -m interforce` is the `interforce` command."""

from interforce.cli import main

main()
