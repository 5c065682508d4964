"""`headwater server start`: the API, docs and background services on one port."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

__all__ = ["app", "start_server"]

app = typer.Typer(name="server", help="Run the headwater server: web UI, REST API and background services.",
                  no_args_is_help=True)


@app.command("start")
def start_server(
    host: Annotated[Optional[str], typer.Option(help="Address to bind \\[default: 127.0.0.1, local only].")] = None,
    port: Annotated[Optional[int], typer.Option(min=1, max=65535, help="Port to bind \\[default: 4200].")] = None,
    database_url: Annotated[
        Optional[str],
        typer.Option("--database-url", help="SQLAlchemy URL of the database \\[default: SQLite in HEADWATER_HOME]."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes answering requests.")] = 1,
) -> None:
    """Serve the web UI (/), the REST API (/api) and its docs (/docs) until Ctrl+C.

    Migrations are applied at start. Clients (flows run with HEADWATER_API_URL set,
    the CLI) reach it at http://HOST:PORT/api. With HEADWATER_API_KEY set, every API
    request must send `Authorization: Bearer <key>`.
    """
    from headwater.core.settings import get_settings, load_settings
    from headwater.server.launcher import serve

    settings = get_settings()
    if database_url is not None:
        settings = load_settings(database_url=database_url)
    serve(settings, host=host or settings.server_host, port=port or settings.server_port, workers=workers)
