"""Hostile input through the server, the CLI and the engine (issue #10).

- With an API key, every route of the app (enumerated from `app.routes`, so a new
  route is covered the day it is added) refuses a request without the key: API and
  data endpoints answer 401/403, pages redirect to the login. The few routes that
  must stay open are listed in `OPEN_ROUTES` with the reason. The key never shows up
  in a reply, a page or the server's log.
- SQL injection strings in every string field of every filter body (read from the
  OpenAPI schema) and in every path and query parameter: never a 5xx, the tables
  intact, and the text fields match literally (a run named `'; DROP TABLE ...` is
  found by its name, and only it).
- The same strings as CLI lookups (`headwater flow-run inspect <string>`).

Log files: headwater writes no log files (run logs go to the console and the store),
so there is no file name to traverse; `result_storage_key` traversal is in
test_hostile_sizes.py.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from server.conftest import ServerProcess, serve_app

from headwater.core.settings import load_settings
from headwater.server import create_app

KEY = "hostile-key-9f2c1e"

INJECTIONS = [
    "'; DROP TABLE flow_runs; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "x' UNION SELECT id, name FROM flow_runs --",
    "Robert'); DELETE FROM logs; --",
    "$$; DROP TABLE flows; $$",
    "%",
    "_",
    "\\",
    "ünï©ødé 🚀 \u202e",
    "a\x00b",
]

# The sweeps over every field use a few; the literal-match checks use all of them.
SWEEP = ["'; DROP TABLE flow_runs; --", '" OR 1=1 --', "%", "ünï©ødé 🚀 \u202e", "a\x00b"]

# Routes that answer without the key, and why.
OPEN_ROUTES = {
    ("GET", "/api/health"): "the health check of load balancers and `headwater server start`",
    ("GET", "/login"): "the login form itself",
    ("POST", "/login"): "logging in (answers 401 unless the posted key is right)",
    ("POST", "/logout"): "logging out only clears the cookie",
    ("GET", "/ui/static/{name}"): "the package's own CSS, JS and icon: no data, needed by the login page",
}


def app_routes(app: Any) -> Iterator[tuple[str, str]]:
    """(method, path) of every route of the app, routers included (HEAD aside)."""

    def walk(routes: Any, prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            context = getattr(route, "include_context", None)  # FastAPI >= 0.16x keeps included routers
            if context is not None:
                yield from walk(context.included_router.routes, prefix + context.prefix)
                continue
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD":
                    yield method, prefix + route.path

    yield from walk(app.routes, "")


# -- the API key ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, str]]:
    """(app, base URL, id of a real flow run) of a server with an API key."""
    home = tmp_path_factory.mktemp("hostile-keyed")
    settings = load_settings(home=home, database_url=f"sqlite:///{home / 'h.db'}", api_key=KEY)
    app = create_app(settings, services=False)
    with serve_app(app) as url:
        created = httpx.post(f"{url}/api/flow_runs/", json={"flow_name": "secret-flow", "name": "secret-run"},
                             headers={"Authorization": f"Bearer {KEY}"})
        assert created.status_code in (200, 201), created.text
        yield app, url, created.json()["id"]


def _fill(path: str, run_id: str) -> str:
    return re.sub(r"\{[^}]+\}", run_id, path)


def test_every_route_refuses_a_request_without_the_key(keyed: tuple[Any, str, str]) -> None:
    app, url, run_id = keyed
    routes = sorted(set(app_routes(app)))
    assert len(routes) >= 80 and ("GET", "/docs") in routes and ("POST", "/api/records/batch") in routes
    checked = []
    with httpx.Client(base_url=url, follow_redirects=False) as client:
        for method, path in routes:
            if (method, path) in OPEN_ROUTES:
                continue
            for headers in ({}, {"Authorization": f"Bearer {KEY}x", "Cookie": f"headwater_session={KEY}"}):
                response = client.request(method, _fill(path, run_id), headers=headers,
                                          json={} if method in ("POST", "PATCH", "PUT") else None)
                refused = response.status_code in (401, 403) or (
                    response.status_code == 303 and response.headers["location"].startswith("/login"))
                assert refused, f"{method} {path} answered {response.status_code} without the key: {response.text[:200]}"
                assert KEY not in response.text and "secret-run" not in response.text
            checked.append((method, path))
        assert len(checked) == len(routes) - len(OPEN_ROUTES)
        # The open routes stay harmless: no data, no key.
        for method, path in OPEN_ROUTES:
            filled = path.replace("{name}", "app.css")
            response = client.request(method, filled, data={"key": KEY + "x", "next": "/"} if method == "POST" else None)
            assert response.status_code < 500 and KEY not in response.text and "secret-run" not in response.text


def test_the_key_never_appears_in_pages_or_errors(keyed: tuple[Any, str, str]) -> None:
    app, url, run_id = keyed
    login = httpx.post(f"{url}/login", data={"key": KEY, "next": "/runs"})
    assert login.status_code == 303 and KEY not in login.headers.get("set-cookie", "")
    # The cookie is Secure: httpx would not send it over plain http, a browser on 127.0.0.1 does.
    session = login.cookies["headwater_session"]
    with httpx.Client(base_url=url, follow_redirects=False, headers={"Cookie": f"headwater_session={session}"}
                      ) as browser:
        pages = [path for method, path in app_routes(app) if method == "GET" and not path.startswith("/api")]
        for path in pages:
            page = browser.get(_fill(path.replace("{name}", "app.js"), run_id))
            assert page.status_code < 500, path
            assert KEY not in page.text, path
        assert "secret-run" in browser.get(f"/runs/{run_id}").text  # logged in, the data is there
        assert KEY not in browser.get("/no/such/page").text
    bearer = {"Authorization": f"Bearer {KEY}"}
    for response in (
        httpx.post(f"{url}/api/flow_runs/filter", json={"limit": KEY}, headers=bearer),
        httpx.post(f"{url}/api/flow_runs/", json={"flow_name": KEY + "\x00"}, headers=bearer),
        httpx.get(f"{url}/api/flow_runs/{uuid.uuid4()}", headers=bearer),
        httpx.post(f"{url}/login", data={"key": KEY + "x"}),
        httpx.post(f"{url}/login", data={"key": KEY[:-1]}),
    ):
        assert response.status_code in (401, 404, 422), response.text[:200]
        assert KEY not in response.text


@pytest.mark.timeout(90)
def test_the_key_never_appears_in_the_server_log(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "home", HEADWATER_API_KEY=KEY, HEADWATER_LOGGING_LEVEL="DEBUG").start()
    try:
        api = server.url
        httpx.post(f"{api}/flow_runs/filter", json={}, headers={"Authorization": f"Bearer {KEY}x"})
        httpx.post(f"{api}/flow_runs/filter", json={"limit": -1}, headers={"Authorization": f"Bearer {KEY}"})
        httpx.post(f"{api}/logs/", json=[{"bad": KEY}], headers={"Authorization": f"Bearer {KEY}"})
        base = api.removesuffix("/api")
        httpx.post(f"{base}/login", data={"key": KEY + "x"})
        httpx.post(f"{base}/login", data={"key": KEY})
    finally:
        output = server.stop()
    assert "Uvicorn running" in output or "headwater" in output.lower()
    assert KEY not in output


# -- SQL injection -------------------------------------------------------------------


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _string_leaves(schema: dict[str, Any], spec: dict[str, Any], path: tuple[str, ...] = ()
                   ) -> Iterator[tuple[tuple[str, ...], bool]]:
    """(path, is_array) of every string-valued field under `schema`."""
    schema = _resolve(schema, spec)
    for option in schema.get("anyOf", []):
        yield from _string_leaves(option, spec, path)
    if "properties" in schema:
        for name, sub in schema["properties"].items():
            yield from _string_leaves(sub, spec, (*path, name))
    elif schema.get("type") == "array" and path:
        items = _resolve(schema.get("items", {}), spec)
        if items.get("type") == "string" or "enum" in items or any(o.get("type") == "string"
                                                                   for o in items.get("anyOf", [])):
            yield path, True
    elif (schema.get("type") == "string" or "enum" in schema) and path:
        yield path, False


def _nested(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    body: Any = value
    for name in reversed(path):
        body = {name: body}
    return body  # type: ignore[no-any-return]


@pytest.fixture
def seeded(store_url: str, tmp_path: Path) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """A server whose flow runs are named (and tagged) with the injection strings."""
    settings = load_settings(home=tmp_path, database_url=store_url)
    with serve_app(create_app(settings, services=False)) as url:
        ids = {}
        for text in INJECTIONS:
            if "\x00" in text:
                continue
            created = httpx.post(f"{url}/api/flow_runs/", json={"flow_name": f"flow {text}", "name": text,
                                                               "tags": [text]})
            assert created.status_code in (200, 201), created.text
            ids[text] = created.json()["id"]
        httpx.post(f"{url}/api/flow_runs/", json={"flow_name": "plain", "name": "plain-run", "tags": ["x"]})
        with httpx.Client(base_url=url, timeout=30) as client:
            yield client, ids


def _names(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text[:300]
    return {row["name"] for row in response.json()}


def test_injection_strings_in_every_filter_field_are_only_text(seeded: tuple[httpx.Client, dict[str, str]]) -> None:
    client, ids = seeded
    total = len(ids) + 1
    spec = client.get("/api/openapi.json").json()
    fields = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is None or not path.endswith(("/filter", "/count")):
                continue
            for leaf, is_array in _string_leaves(body, spec):
                fields += 1
                for text in SWEEP:
                    payload = _nested(leaf, [text] if is_array else text)
                    response = client.request(method, path, json=payload)
                    assert response.status_code in (200, 422), (path, leaf, text, response.text[:300])
    assert fields >= 40, fields
    assert client.post("/api/flow_runs/count", json={}).json() == total  # every row still there
    assert client.post("/api/logs/filter", json={}).status_code == 200


def test_injection_strings_match_literally(seeded: tuple[httpx.Client, dict[str, str]]) -> None:
    client, ids = seeded
    every = set(ids) | {"plain-run"}

    def runs(body: dict[str, Any]) -> set[str]:
        return _names(client.post("/api/flow_runs/filter", json=body))

    for text, run_id in ids.items():
        assert runs({"flow_runs": {"name": {"any_": [text]}}}) == {text}
        assert runs({"flow_runs": {"tags": {"all_": [text]}}}) == {text}
        assert runs({"flows": {"name": {"any_": [f"flow {text}"]}}}) == {text}
        assert runs({"flow_runs": {"name": {"like_": text}}}) == {n for n in every if text.lower() in n.lower()}
        assert runs({"flows": {"name": {"like_": text}}}) == {n for n in ids if text.lower() in f"flow {n}".lower()}
        assert runs({"flow_runs": {"state": {"name": {"not_any_": [text]}}}}) == every
        assert client.get(f"/api/flow_runs/{run_id}").json()["name"] == text
    assert client.post("/api/flow_runs/filter", json={"flow_runs": {"name": {"any_": ["a\x00b"]}}}).status_code == 422


def test_injection_strings_in_path_and_query_parameters(seeded: tuple[httpx.Client, dict[str, str]]) -> None:
    client, ids = seeded
    spec = client.get("/api/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            params = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
            if not params or method.upper() not in ("GET", "POST", "DELETE", "PATCH"):
                continue
            for text in SWEEP:
                filled = path
                query = {}
                for param in params:
                    if param["in"] == "path":
                        filled = filled.replace("{" + param["name"] + "}", quote(text, safe=""))
                    else:
                        query[param["name"]] = text
                response = client.request(method.upper(), filled, params=query,
                                          json={} if method.upper() in ("POST", "PATCH") else None)
                assert response.status_code < 500, (method, path, text, response.text[:300])
                checked += 1
    assert checked >= 20 * len(SWEEP)
    assert client.post("/api/flow_runs/count", json={}).json() == len(ids) + 1


def test_injection_strings_as_cli_lookups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from headwater.cli.app import app as cli
    from headwater.core.api_schemas import FlowRunCreate
    from headwater.core.settings import reset_settings
    from headwater.store import Store

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    for name in ("HEADWATER_API_URL", "HEADWATER_DATABASE_URL", "HEADWATER_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    store = Store.open(f"sqlite:///{home / 'headwater.db'}")
    try:
        named = store.flow_runs.create_flow_run(FlowRunCreate(flow_name="cli-flow", name=INJECTIONS[0]))
        for _ in range(3):
            store.flow_runs.create_flow_run(FlowRunCreate(flow_name="cli-flow"))
    finally:
        store.close()
    runner = CliRunner()
    try:
        found = runner.invoke(cli, ["flow-run", "inspect", INJECTIONS[0]])
        assert found.exit_code == 0 and named.id in found.output, found.output
        # LIKE wildcards are literal: four '%' or '_' are not a prefix of every id.
        for text in [*INJECTIONS[1:], "%%%%", "____", "' OR ''='"]:
            for command in (["flow-run", "inspect", text], ["flow-run", "logs", text], ["gcl", "inspect", text],
                            ["concurrency-limit", "inspect", text]):
                result = runner.invoke(cli, command)
                assert result.exit_code != 0, (command, result.output)
                assert "Traceback" not in result.output and result.exception is None or \
                    isinstance(result.exception, SystemExit), (command, result.output, result.exception)
        listed = runner.invoke(cli, ["flow-run", "ls"])
        assert listed.exit_code == 0 and listed.output.count("  cli-flow  ") == 4, listed.output
    finally:
        reset_settings()
