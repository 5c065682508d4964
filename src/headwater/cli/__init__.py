"""The `headwater` command line (Typer).

`main()` is the console script's entry point; `app` is the Typer application, for
`typer.testing.CliRunner` and for embedding.
"""

from __future__ import annotations

from headwater.cli.app import app, main

__all__ = ["app", "main"]
