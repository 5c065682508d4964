"""`flow.register()` keeps a static flow's graph with its deployment, so the API returns
it and the deployment's page draws it before any run: registered here in embedded mode,
read from a real `headwater server start` over the same SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import free_port, wait_for

from headwater import Flow, Parameter, flow, task
from headwater.core.settings import reset_settings
from headwater.orchestrator import set_orchestrator, shutdown


@task
def download_data(since: str) -> list:
    return [since]


@task(name="<script>alert(1)</script>")
def handle_data(rows: list) -> list:
    return rows


@task
def save_data(rows: list) -> None:
    return None


@task
def notify(n: int) -> int:
    return n


with Flow("GitHub_Trending_UI") as trending:
    since = Parameter("since", default="daily")
    rows = handle_data(download_data(since))
    saved = save_data(rows)
    notify.map([1, 2], upstream_tasks=[saved])


@flow
def decorated(n: int = 1) -> int:
    return n


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """This process registers into a private HEADWATER_HOME; a server serves the same file."""
    home = tmp_path_factory.mktemp("register-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_TO_CONSOLE="false")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        for name in [k for k in os.environ if k.startswith("HEADWATER_")]:
            patch.delenv(name)
        patch.setenv("HEADWATER_HOME", str(home))
        reset_settings()
        set_orchestrator(None)
        log = open(home / "server.log", "wb")
        server = subprocess.Popen([str(Path(sys.executable).with_name("headwater")), "server", "start", "--port",
                                   str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        try:
            def healthy() -> bool:
                assert server.poll() is None, (home / "server.log").read_text()
                try:
                    return client.get("/api/health").status_code == 200
                except httpx.TransportError:
                    return False

            wait_for(healthy, 30, "the server")
            yield client
        finally:
            client.close()
            server.terminate()
            server.wait(30)
            log.close()
            shutdown()
            reset_settings()


def test_register_keeps_the_graph_and_the_api_returns_it(client: httpx.Client) -> None:
    deployment_id = trending.register(project_name="GitHub_Trending", create_project=True)
    found = client.get(f"/api/deployments/{deployment_id}").json()
    assert found["static_graph"] == trending.graph.as_dict()
    keys = {node["key"] for node in found["static_graph"]["nodes"]}
    assert keys == {"since", "download_data", "<script>alert(1)</script>", "save_data", "notify"}
    assert {"upstream": "save_data", "downstream": "notify", "argument": None, "kind": "wait_for"} \
        in found["static_graph"]["edges"]


def test_the_deployment_page_draws_the_graph_before_any_run(client: httpx.Client) -> None:
    deployment_id = trending.register(project_name="GitHub_Trending", create_project=True)
    page = client.get(f"/deployments/{deployment_id}")
    assert page.status_code == 200
    html = page.text
    assert '<svg class="graph static"' in html and "No runs yet" in html
    for key in ("since", "download_data", "save_data", "notify"):
        assert f'data-key="{key}"' in html
    assert 'class="node k-parameter"' in html and 'class="node k-mapped"' in html
    assert html.count('<path class="edge data"') == 3 and html.count('<path class="edge wait_for"') == 1
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html  # names are text
    listing = client.get("/flows").text
    assert f'href="/deployments/{deployment_id}"' in listing


def test_a_decorated_flow_has_no_static_graph_and_its_page_says_so(client: httpx.Client) -> None:
    deployment_id = decorated.deploy("plain")
    assert client.get(f"/api/deployments/{deployment_id}").json()["static_graph"] is None
    html = client.get(f"/deployments/{deployment_id}").text
    assert "graph is known once it runs" in html and "<svg" not in html.split("Recent runs")[0]
    assert client.get("/deployments/no-such-id").status_code == 404
