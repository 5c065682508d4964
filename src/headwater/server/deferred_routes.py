"""Resource routers built on first use, so that the server answers sooner after start.

FastAPI does most of a route's work when the route is defined: it reads the endpoint's
signature and builds a pydantic adapter for each parameter, body and reply, about 1 ms
a route. Importing the API's ~180 routes at start was a fifth of the server's start-up
time. So the app holds, in each resource router's place, a `DeferredRouter`: a route
that claims the paths under the router's prefix (`/api/flow_runs`, `/api/flow_runs/...`)
and, the first time one is requested, imports the router's module, includes the router
into the app exactly as `app.include_router` would, and puts its routes where it stood.
The request is then answered by them; later requests never see the placeholder.

Everything that asks the app for its routes (`app.routes`: FastAPI's OpenAPI schema,
`/docs`, tests walking the routes) gets all of them built: `ServerApp.routes` builds
the routers not built yet first. Building is serialized by one lock, so a router is
built once even when the first requests come from several threads.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound, get_route_path
from starlette.types import Receive, Scope, Send

__all__ = ["DeferredRouter", "RouterRef", "ServerApp", "build_deferred_routers", "install_routers"]

_BUILD_LOCK = threading.RLock()


@dataclass(frozen=True)
class RouterRef:
    """A router named by where it is, not imported: `module.attribute` under `package`.

    Attributes:
        module: the module's name inside `package` (`"flow_runs"`).
        attribute: the router's name in that module (`"router"`, `"states_router"`).
        prefix: the router's own `prefix` (`"/flow_runs"`); the paths it claims before
            it is built. A router without a prefix is built at once.
        package: the package holding the module.
    """

    module: str
    attribute: str
    prefix: str
    package: str = "headwater.server.api"

    def load(self) -> APIRouter:
        """Import the module and return the router.

        Raises:
            RuntimeError: the router's prefix is not the one listed here (the list of
                routers is out of date, and requests would miss the router).
        """
        router: APIRouter = getattr(importlib.import_module(f"{self.package}.{self.module}"), self.attribute)
        if router.prefix != self.prefix:
            raise RuntimeError(
                f"{self.package}.{self.module}.{self.attribute} has prefix {router.prefix!r} but the router "
                f"list says {self.prefix!r}: correct the list (server/api/__init__.py)"
            )
        return router


class DeferredRouter(BaseRoute):
    """Stands in the app's routes for a router not built yet (see the module docstring).

    Args:
        owner: the app's router, whose `routes` hold this placeholder.
        ref: the router it stands for.
        mount: the path prefix it is included under (`"/api"`).
    """

    def __init__(self, owner: APIRouter, ref: RouterRef, mount: str) -> None:
        self.owner = owner
        self.ref = ref
        self.mount = mount
        self.path = mount + ref.prefix
        self._built: list[BaseRoute] | None = None

    def __repr__(self) -> str:
        return f"DeferredRouter({self.path!r}, built={self._built is not None})"

    def claims(self, scope: Scope) -> bool:
        """Whether the request's path is under this router's prefix."""
        if scope["type"] not in ("http", "websocket"):
            return False
        path = get_route_path(scope)
        return path == self.path or path.startswith(self.path + "/")

    def build(self) -> list[BaseRoute]:
        """Import and include the router (once), putting its routes in this placeholder's place.

        Returns:
            The routes the router added to the app.
        """
        if self._built is not None:
            return self._built
        with _BUILD_LOCK:
            if self._built is None:
                router = self.ref.load()
                before = len(self.owner.routes)
                self.owner.include_router(router, prefix=self.mount)
                added = self.owner.routes[before:]
                # A new list, not an edit in place: a request being routed on another
                # thread goes on over the list it started with.
                self.owner.routes = [
                    new for route in self.owner.routes[:before] for new in (added if route is self else (route,))
                ]
                self._built = list(added)
            return self._built

    def _match(self, scope: Scope) -> tuple[Match, Scope, BaseRoute | None]:
        partial: tuple[Scope, BaseRoute] | None = None
        for route in self.build():
            match, child_scope = route.matches(scope)
            if match == Match.FULL:
                return match, child_scope, route
            if match == Match.PARTIAL and partial is None:
                partial = (child_scope, route)
        if partial is not None:
            return Match.PARTIAL, partial[0], partial[1]
        return Match.NONE, {}, None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match as the router's routes would, building them if the path is under its prefix."""
        if not self.claims(scope):
            return Match.NONE, {}
        match, child_scope, _ = self._match(scope)
        return match, child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the request to the route of the router that matched it."""
        _, _, route = self._match(scope)
        if route is None:  # matched a moment ago; only a changed path could get here
            await self.owner.default(scope, receive, send)
            return
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """The path of the route called `name` in this router (built for the purpose)."""
        for route in self.build():
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)


def install_routers(app: FastAPI, refs: Iterable[RouterRef], *, mount: str) -> None:
    """Add the routers to `app` under `mount`, in order: those with a prefix deferred."""
    for ref in refs:
        if ref.prefix:
            app.router.routes.append(DeferredRouter(app.router, ref, mount))
        else:
            app.include_router(ref.load(), prefix=mount)


def build_deferred_routers(router: APIRouter) -> None:
    """Build every router of `router` still deferred."""
    for route in list(router.routes):
        if isinstance(route, DeferredRouter):
            route.build()


class ServerApp(FastAPI):
    """The server's FastAPI app: its `routes` are all built when asked for."""

    @property
    def routes(self) -> list[BaseRoute]:
        """Every route of the app, the deferred routers built first (the OpenAPI schema reads this)."""
        build_deferred_routers(self.router)
        return self.router.routes
