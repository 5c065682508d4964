"""Prefect 1's run configs, storage, agent and config: a registered flow with `Module` storage
and a `LocalRun` run config, run by a real `LocalAgent` in worker processes; storage round trips;
`Webhook` against a real local HTTP server."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater import Flow, task
from headwater.engine.static.config import load_config
from headwater.exceptions import InvalidDefinitionError
from headwater.run_configs import LocalRun, UniversalRun
from headwater.storage import Local, Module, Webhook
from worker.conftest import HEADWATER, base_env

FLOWS_MODULE = '''
import os
from pathlib import Path

from headwater import Flow, task
from headwater.run_configs import LocalRun
from headwater.storage import Module


@task
def where():
    Path(os.environ["OUT_FILE"]).write_text(os.environ.get("STAGE", "unset") + " " + os.getcwd())


with Flow("configured", run_config=LocalRun(env={{"STAGE": "prod"}}, working_dir={workdir!r}, labels=["etl"]),
          storage=Module("etlpkg.flows")) as configured:
    where()
'''


@task
def add(x: int, y: int) -> int:
    return x + y


def test_a_registered_flow_runs_from_its_module_storage_with_its_run_config(tmp_path: Path) -> None:
    package = tmp_path / "src" / "etlpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    workdir = tmp_path / "work"
    workdir.mkdir()
    (package / "flows.py").write_text(FLOWS_MODULE.format(workdir=str(workdir)))
    out = tmp_path / "out.txt"
    env = {**base_env(tmp_path / "home"), "PYTHONPATH": str(tmp_path / "src"), "OUT_FILE": str(out)}
    env.pop("STAGE", None)

    def python(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)

    registered = python("from etlpkg.flows import configured; configured.register('etl', create_project=True)")
    assert registered.returncode == 0, registered.stderr
    shown = json.loads(subprocess.run([HEADWATER, "deployment", "inspect", "configured/configured", "-o", "json"],
                                      env=env, capture_output=True, text=True, timeout=60).stdout)
    assert shown["entrypoint"] == "etlpkg.flows:configured" and shown["tags"] == ["etl"]
    started = subprocess.run([HEADWATER, "deployment", "run", "configured/configured"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    agent = python("from headwater.agent.local import LocalAgent; "
                   "LocalAgent(max_polls=3, poll_interval=0.1, env_vars={'FROM_AGENT': '1'}).start()")
    assert agent.returncode == 0, agent.stderr
    assert out.read_text() == f"prod {workdir}"  # env and working_dir applied in the run's process


def test_flow_run_ignores_the_run_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STAGE", raising=False)
    with Flow("plain", run_config=LocalRun(env={"STAGE": "prod"}, working_dir="/")) as plain:
        add(1, 2)
    assert plain.run().is_successful()
    assert "STAGE" not in os.environ and Path.cwd() == tmp_path


def test_run_configs_check_what_they_are_given() -> None:
    with pytest.raises(TypeError, match=r"env=.*dict of str to str"):
        UniversalRun(env={"A": 1})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"labels=.*strings"):
        LocalRun(labels=[1])  # type: ignore[list-item]
    with pytest.raises(FileNotFoundError, match=r"no such directory"):
        LocalRun(working_dir="/no/such/dir").apply()
    assert LocalRun(env={"A": "1"}, working_dir="x").serialize()["working_dir"] == os.path.abspath("x")


def test_local_storage_round_trips_a_pickled_flow(tmp_path: Path) -> None:
    with Flow("stored") as stored:
        total = add(1, 2)
    storage = Local(directory=str(tmp_path / "flows"), add_default_labels=False)
    storage.add_flow(stored)
    loaded = storage.build().get_flow("stored")
    assert loaded.run().result["add"].result == 3 and total.key == "add"
    assert Local(directory=str(tmp_path)).labels  # this machine's host name, by default
    assert storage.entrypoint("stored") is None  # a pickle is never a deployment's entrypoint


def test_module_storage_names_the_flow_it_cannot_find() -> None:
    storage = Module("headwater.run_configs")
    storage.add_flow(Flow("ghost"))
    with pytest.raises(ValueError, match=r"no flow named 'ghost'"):
        storage.get_flow("ghost")
    with pytest.raises(InvalidDefinitionError, match=r"storage must be a Storage"):
        Flow("x", storage="etl.flows")


@pytest.fixture
def file_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:  # noqa: N802 - the standard library's name
            files[self.path] = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(201 if self.headers.get("X-Token") == "sesame" else 403)
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", files
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_webhook_storage_uploads_and_downloads_the_flow(file_server: tuple[str, dict[str, bytes]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url, files = file_server
    monkeypatch.setenv("UPLOAD_TOKEN", "sesame")
    with Flow("hooked") as hooked:
        add(2, 3)
    storage = Webhook(build_request_kwargs={"url": f"{url}/flows/hooked", "headers": {"X-Token": "${UPLOAD_TOKEN}"}},
                      build_request_http_method="PUT", get_flow_request_kwargs={"url": f"{url}/flows/hooked"},
                      get_flow_request_http_method="GET")
    storage.add_flow(hooked)
    storage.build()
    assert "/flows/hooked" in files
    assert storage.get_flow("hooked").run().result["add"].result == 5
    with pytest.raises(RuntimeError, match=r"HTTP method 'DELETE' not recognized"):
        Webhook({}, "DELETE", {}, "GET")
    monkeypatch.delenv("UPLOAD_TOKEN")
    with pytest.raises(RuntimeError, match=r"'UPLOAD_TOKEN' does not refer to an environment variable"):
        storage.build()


def test_config_reads_prefect1_variables() -> None:
    config = load_config({"PREFECT__FLOWS__CHECKPOINTING": "true", "PREFECT__LOGGING__LEVEL": "DEBUG",
                          "PREFECT__USER__TEAM": "data", "OTHER": "x"})
    assert config.flows.checkpointing is True and config.logging.level == "DEBUG" and config.user.team == "data"
    assert config.get_nested("engine.executor.default_class") == "prefect.executors.LocalExecutor"
    with pytest.raises(AttributeError, match=r"no key 'nope'"):
        config.nope  # noqa: B018
