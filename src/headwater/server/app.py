"""`create_app(settings)`: the server's ASGI app.

The REST API is under `/api` (routers in `server/api/`, each built on its first
request: `server/deferred_routes.py`), its OpenAPI schema at `/api/openapi.json`, a
self-contained docs page at `/docs`. The app opens the store
(applying migrations) unless given one, starts the background services on start-up
and stops them on shut-down. CORS is off: no cross-origin headers are sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from fastapi import FastAPI

from headwater._version import __version__
from headwater.server.api import ROUTERS
from headwater.server.deferred_routes import ServerApp, install_routers
from headwater.server.docs import install_docs
from headwater.server.errors import install_error_handlers
from headwater.server.security import DEFAULT_MAX_BODY_BYTES, ApiGate, JsonDepthGate, RedirectBase
from headwater.server.ui import install_ui

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.server.services import Service
    from headwater.store import Store

__all__ = ["create_app", "create_app_from_environment"]


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    services: bool | Sequence[Service] = True,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """Build the server's app.

    Args:
        settings: where the database is, the API key, the services' intervals.
        store: an open store to serve (the caller closes it); by default the app
            opens the settings' store on start-up and closes it on shut-down.
        services: True for the default background services, False for none, or the
            services to run.
        max_body_bytes: the largest request body accepted (413 beyond).

    Raises:
        StoreError: (on start-up) the database cannot be opened or migrated.
    """
    state: dict[str, object] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from headwater.server.services import default_services
        from headwater.store import open_store

        own_store = store is None
        app.state.store = open_store(settings) if store is None else store
        running: list[Service] = []
        if services is True:
            running = default_services(app.state.store, settings)
        elif services:
            running = list(services)
        for service in running:
            service.start()
        state["services"] = running
        try:
            yield
        finally:
            for service in running:
                service.stop()
            if own_store:
                app.state.store.close()

    app = ServerApp(
        title="headwater",
        version=__version__,
        description="Run history and orchestration API of headwater.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    if store is not None:
        app.state.store = store  # usable before start-up, e.g. by a test client without lifespan
    install_routers(app, ROUTERS, mount="/api")  # each built on its first request
    install_error_handlers(app)
    install_docs(app)
    install_ui(app, settings)
    api_key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    app.add_middleware(JsonDepthGate, max_depth=settings.json_max_depth)
    app.add_middleware(RedirectBase, ui_url=settings.ui_url)
    app.add_middleware(ApiGate, api_key=api_key, max_body_bytes=max_body_bytes)  # the outer one: first
    return app


def create_app_from_environment() -> FastAPI:
    """The app for the settings of the environment (uvicorn's factory with --workers)."""
    from headwater.core.settings import get_settings

    return create_app(get_settings())
