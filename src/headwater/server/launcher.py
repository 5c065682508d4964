"""`serve()`: run the server with uvicorn in this process (what `headwater server start` does).

The database is opened (and migrated) and the port bound before uvicorn starts, so
an unusable database or a port in use is one clear error instead of a traceback.
"""

from __future__ import annotations

import errno
import inspect
import os
import socket
import sys
from typing import TYPE_CHECKING, Any

from headwater.exceptions import ConfigurationError

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["bind_socket", "serve"]


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind a listening TCP socket, or raise `ConfigurationError` saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigurationError(
                f"port {port} on {host} is already in use (another headwater server?). Stop it, or choose "
                "another port with --port or HEADWATER_SERVER_PORT."
            ) from None
        raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror or exc}. Check --host.") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve the API, docs and background services until interrupted (Ctrl+C, SIGTERM).

    Args:
        settings: the server's settings (database, API key, services' intervals).
        host: address to bind; 127.0.0.1 (the default) accepts local clients only.
        port: TCP port to bind.
        workers: processes answering requests; more than one runs each process's
            own services too (they are safe to run side by side).

    Raises:
        StoreError: the database cannot be opened or migrated.
        ConfigurationError: the address cannot be bound.
    """
    import uvicorn

    from headwater.store import open_store

    store = open_store(settings)  # creates or migrates the schema now
    sock = bind_socket(host, port)
    shown_host = f"[{host}]" if ":" in host else host
    sys.stderr.write(
        f"headwater server on http://{shown_host}:{port}  (API http://{shown_host}:{port}/api, docs /docs)\n"
        f"database {store.url}{'' if settings.api_key is None else '; API key required'}. Ctrl+C stops it.\n"
    )
    sys.stderr.flush()
    common: dict[str, Any] = dict(log_level="warning", access_log=False, timeout_graceful_shutdown=5,
                                  server_header=False)
    if workers <= 1:
        from headwater.server.app import create_app

        config = uvicorn.Config(create_app(settings, store=store), **common)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            store.close()
            sock.close()
        return
    store.close()
    # Worker processes build their own app from the environment: hand the settings
    # that came from command-line flags over through it.
    os.environ["HEADWATER_HOME"] = str(settings.home)
    if settings.database_url:
        os.environ["HEADWATER_DATABASE_URL"] = settings.database_url
    config = uvicorn.Config(
        "headwater.server.app:create_app_from_environment", factory=True, workers=workers, **common
    )
    from uvicorn.supervisors import Multiprocess

    try:
        if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn before 0.55 (approx.)
            server = uvicorn.Server(config)
            Multiprocess(config, target=server.run, sockets=[sock]).run()  # type: ignore[call-arg]  # older signature
        else:  # newer uvicorn builds each worker's server itself
            Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
