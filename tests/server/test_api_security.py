"""Bearer key, body size limit, CORS off, the docs page and the OpenAPI schema."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from headwater.core.settings import load_settings
from headwater.server import create_app

from .conftest import serve_app

KEY = "s3cret-key-for-tests"


@pytest.fixture
def keyed_url(tmp_path: Path, sqlite_url: str) -> object:
    settings = load_settings(home=tmp_path, database_url=sqlite_url, api_key=KEY)
    with serve_app(create_app(settings, services=False, max_body_bytes=10_000)) as url:
        yield url


def test_the_key_is_required_and_never_echoed(keyed_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api = f"{keyed_url}/api"
    assert httpx.get(f"{api}/health").status_code == 200  # health checks need no key
    missing = httpx.post(f"{api}/flow_runs/filter", json={})
    assert missing.status_code == 401 and "missing API key" in missing.json()["detail"]
    wrong = httpx.post(f"{api}/flow_runs/filter", json={}, headers={"Authorization": f"Bearer {KEY}x"})
    assert wrong.status_code == 401 and KEY not in wrong.text
    assert httpx.get(f"{api}/openapi.json").status_code == 401
    ok = httpx.post(f"{api}/flow_runs/filter", json={}, headers={"Authorization": f"Bearer {KEY}"})
    assert ok.status_code == 200
    assert KEY not in caplog.text


def test_oversized_bodies_are_413(keyed_url: str) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    big = httpx.post(f"{keyed_url}/api/logs/", content=b"[" + b" " * 20_000 + b"]", headers=headers)
    assert big.status_code == 413 and "larger than" in big.json()["detail"]

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b" " * 1000

    streamed = httpx.post(f"{keyed_url}/api/logs/", content=chunks(), headers=headers)
    assert 400 <= streamed.status_code < 500


def test_no_cors_headers(api: httpx.Client) -> None:
    response = api.options("/flow_runs/filter", headers={"Origin": "http://evil.example",
                                                          "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_docs_page_is_self_contained(server_url: str) -> None:
    page = httpx.get(f"{server_url}/docs")
    assert page.status_code == 200
    assert "/api/flow_runs/filter" in page.text and "set_state" in page.text
    assert "<script" not in page.text and "https://" not in page.text
    schema = httpx.get(f"{server_url}/api/openapi.json").json()
    assert "/api/flow_runs/{id}/set_state" in schema["paths"]
