"""Resource routers built on first use (server/deferred_routes.py): the server answers
`/api/health` and the UI without having defined the API's routes, and the first
request to any route answers exactly as it would with every router built."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from headwater.core.settings import load_settings
from headwater.server import create_app
from headwater.server.api import ROUTERS
from headwater.server.deferred_routes import DeferredRouter, RouterRef
from headwater.store import open_store

_FRESH_APP = """
import json, sys, asyncio
import httpx
from headwater.core.settings import load_settings
from headwater.server import create_app

async def main():
    app = create_app(load_settings(home=sys.argv[1]), services=False)
    transport = httpx.ASGITransport(app=app)
    seen = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        async with app.router.lifespan_context(app):
            seen["health"] = (await client.get("/api/health")).status_code
            seen["ui"] = (await client.get("/", follow_redirects=True)).status_code
            seen["api_modules_after_ui"] = sorted(m for m in sys.modules if m.startswith("headwater.server.api.")
                                                  and not m.endswith(("._deps", ".health")))
            seen["filter"] = (await client.post("/api/flow_runs/filter", json={})).status_code
            seen["api_modules_after_filter"] = sorted(m for m in sys.modules if m.startswith("headwater.server.api.")
                                                      and not m.endswith(("._deps", ".health")))
            seen["paths"] = len((await client.get("/api/openapi.json")).json()["paths"])
    print(json.dumps(seen))

asyncio.run(main())
"""


def test_health_and_the_ui_answer_before_any_resource_router_is_built(tmp_path: Path) -> None:
    # A fresh interpreter: this one has imported the routers already.
    ran = subprocess.run([sys.executable, "-c", _FRESH_APP, str(tmp_path / "home")], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    assert seen["health"] == 200 and seen["ui"] == 200, seen
    assert seen["api_modules_after_ui"] == [], seen  # no resource router was built for them
    assert seen["filter"] == 200
    # The first request built its own router (flow runs; flow run input shares the prefix), not the others.
    assert "headwater.server.api.flow_runs" in seen["api_modules_after_filter"], seen
    assert "headwater.server.api.deployments" not in seen["api_modules_after_filter"], seen
    assert seen["paths"] >= 100  # the schema has every route: asking for it built them all


def _all_api_routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            found.append((method.upper(), path))
    return sorted(found)


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "0190f1f2-0000-7000-8000-000000000000", path)


async def _status(app: Any, method: str, path: str) -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        body = {} if method in ("POST", "PUT", "PATCH") else None
        response = await client.request(method, path, json=body, follow_redirects=False)
        return response.status_code


def test_the_first_request_to_each_route_answers_as_with_every_router_built(tmp_path: Path) -> None:
    built_store = open_store(load_settings(home=tmp_path / "a"))
    fresh_store = open_store(load_settings(home=tmp_path / "b"))
    try:
        settings = load_settings(home=tmp_path / "a")
        built = create_app(settings, store=built_store, services=False)
        routes = _all_api_routes(built)  # builds every router of `built`
        assert not any(isinstance(route, DeferredRouter) for route in built.router.routes)
        assert len(routes) >= 120
        # Each route, and a method each route does not have (405 through the not-yet-built router),
        # and the path without its trailing slash (a redirect).
        routes = [(m, p) for m, p in routes if not p.endswith("/stream")]  # endless: served as a stream
        requests = [(m, _fill(p)) for m, p in routes]
        requests += [("PUT", _fill(p)) for m, p in routes if m == "POST"][:20]
        requests += [("GET", _fill(p).rstrip("/")) for m, p in routes if p.endswith("/")][:20]
        differ = []
        for method, path in requests:
            fresh = create_app(settings, store=fresh_store, services=False)  # no router built yet
            got = asyncio.run(_status(fresh, method, path))
            expected = asyncio.run(_status(built, method, path))
            if got != expected:
                differ.append(f"{method} {path}: first request {got}, with every router built {expected}")
        assert not differ, differ
    finally:
        built_store.close()
        fresh_store.close()


def test_every_listed_router_has_the_prefix_it_is_listed_with() -> None:
    for ref in ROUTERS:
        assert ref.load().prefix == ref.prefix, ref


def test_a_wrong_prefix_in_the_list_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match=r"flows\.router has prefix '/flows' but the router list says '/flow'"):
        RouterRef("flows", "router", "/flow").load()
