"""Hostile input (issue #10): oversized parameters and log lines, NUL bytes, and
`result_storage_key` templates that try to leave the result storage.

Bounds (settings, documented in docs/concepts.md):

- `HEADWATER_LOGGING_MAX_MESSAGE_BYTES` (1 MB): a longer log line is stored cut to
  that size, ending with a note naming its size and the setting.
- `HEADWATER_PARAMETERS_MAX_RECORDED_BYTES` (1 MB): the history keeps at most that
  much JSON of a flow run's parameters; the largest values become a note. The flow
  always gets its real arguments.
- Server: request bodies over 64 MiB are 413; `POST /api/logs/` lines over 100,000
  characters are 422. A client whose batch is over the body limit sends it in halves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from server.conftest import serve_app

from headwater import flow, get_run_logger, task
from headwater.core.settings import load_settings, reset_settings
from headwater.orchestrator import get_orchestrator, set_orchestrator, shutdown
from headwater.results import UnsafeStorageKey, render_storage_key
from headwater.server import create_app

MB = 1_000_000


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private $HEADWATER_HOME, console logging off (the lines here are megabytes)."""
    path = tmp_path / "home"
    for name in list(os.environ):
        if name.startswith("HEADWATER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    monkeypatch.setenv("HEADWATER_LOGGING_TO_CONSOLE", "false")
    reset_settings()
    set_orchestrator(None)
    yield path
    shutdown()
    reset_settings()


@flow(name="big-inputs")
def big_inputs(blob: str, small: int) -> int:
    logger = get_run_logger()
    logger.info("x" * (10 * MB))
    logger.info("é" * MB + "tail")  # 2 MB of UTF-8: cut on a character boundary
    logger.info("nul \x00 inside")
    return len(blob) + small


@pytest.mark.timeout(120)
def test_oversized_parameters_and_log_lines_are_bounded_in_history(home: Path) -> None:
    blob = "p" * (50 * MB)
    assert big_inputs(blob, 7) == 50 * MB + 7  # the flow gets the real value
    orchestrator = get_orchestrator()
    assert orchestrator.flush(timeout=60)
    store = orchestrator.store  # type: ignore[attr-defined]
    run = store.flow_runs.list_flow_runs(limit=1)[0]
    assert run.state.type == "COMPLETED"
    assert run.parameters["small"] == 7
    assert run.parameters["blob"].startswith("<not recorded: 50000002 bytes as JSON")
    assert "HEADWATER_PARAMETERS_MAX_RECORDED_BYTES" in run.parameters["blob"]
    messages = [line.message for line in store.history.read_logs(flow_run_id=run.id)]
    long_lines = [m for m in messages if m.startswith(("xxx", "ééé"))]
    assert len(long_lines) == 2
    for message in long_lines:
        assert len(message.encode()) <= MB and "truncated" in message
        assert "HEADWATER_LOGGING_MAX_MESSAGE_BYTES" in message
    assert "was 10000000 bytes" in long_lines[0] and "was 2000004 bytes" in long_lines[1]
    assert "nul \\x00 inside" in messages  # stored, visibly, on every database


def test_the_bounds_are_settings(tmp_path: Path) -> None:
    tuned = load_settings(home=tmp_path, logging_max_message_bytes=5000, parameters_max_recorded_bytes=2000)
    assert (tuned.logging_max_message_bytes, tuned.parameters_max_recorded_bytes) == (5000, 2000)
    from headwater.orchestrator.records import truncate_message
    from headwater.engine.parameters import recorded_parameters

    assert truncate_message("short", 5000) == "short"
    assert len(truncate_message("é" * 10_000, 5000).encode()) <= 5000
    kept = recorded_parameters({"a": "x" * 1500, "b": "y" * 900, "c": 1}, 2000)
    assert kept["b"] == "y" * 900 and kept["c"] == 1 and kept["a"].startswith("<not recorded")
    with pytest.raises(Exception, match="logging_max_message_bytes"):
        load_settings(home=tmp_path, logging_max_message_bytes=10)


@pytest.mark.timeout(120)
def test_a_batch_over_the_server_body_limit_is_sent_in_halves(home: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    server_settings = load_settings(home=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 's.db'}")
    app = create_app(server_settings, services=False, max_body_bytes=2 * MB)
    with serve_app(app) as url:
        monkeypatch.setenv("HEADWATER_API_URL", f"{url}/api")
        reset_settings()
        set_orchestrator(None)

        @flow(name="chatty")
        def chatty() -> None:
            for i in range(6):
                get_run_logger().info(f"{i}:" + "z" * 900_000)  # under the 1 MB line bound, 5.4 MB together

        chatty()
        orchestrator = get_orchestrator()
        assert orchestrator.flush(timeout=60)
        assert orchestrator.dropped_records == 0  # type: ignore[attr-defined]
        logs = httpx.post(f"{url}/api/logs/filter", json={"limit": 100}, timeout=30).json()
        stored = sorted(line["message"][:2] for line in logs if line["message"].endswith("zzz"))
        assert stored == [f"{i}:" for i in range(6)]
        big = httpx.post(f"{url}/api/logs/", content=b"[" + b" " * (3 * MB) + b"]",
                         headers={"content-type": "application/json"})
        assert big.status_code == 413 and "larger than 2000000 bytes" in big.json()["detail"]
        line = {"name": "x", "level": 20, "message": "m" * 200_000, "timestamp": "2024-01-01T00:00:00Z"}
        too_long = httpx.post(f"{url}/api/logs/", json=[line])
        assert too_long.status_code == 422 and "message" in too_long.json()["message"]
        shutdown()


# -- result_storage_key ----------------------------------------------------------------

_HOSTILE_PARTS = st.sampled_from(["..", ".", "/", "\\", "\x00", "~", "C:", "%2e%2e", "a", "b.json", "://", "//",
                                  "\u2025", "．．", " ", "\n"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=st.lists(_HOSTILE_PARTS, min_size=1, max_size=6).map("".join))
def test_a_rendered_key_stays_inside_the_storage_or_is_refused(value: str) -> None:
    root = "/storage/root"
    context = {"parameters": {"name": value}, "task_run": None, "flow_run": None}
    for template in ("{parameters[name]}", "out/{parameters[name]}", "{parameters[name]}/x.pkl"):
        try:
            key = render_storage_key(template, context)
        except UnsafeStorageKey as exc:
            assert "result_storage_key" in str(exc) and "refused" in str(exc)
            continue
        resolved = os.path.normpath(os.path.join(root, key))
        assert resolved.startswith(root + "/") and "\x00" not in key and "\\" not in key, (template, value, key)


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/absolute", "a\x00b", "..", "x/../../y", "~/home"])
def test_hostile_parameters_cannot_place_a_result_outside_the_storage(home: Path, tmp_path: Path, name: str) -> None:
    storage = tmp_path / "nest" / "results"
    before = {p for p in tmp_path.rglob("*")}

    @task(persist_result=True, result_storage=str(storage), result_storage_key="k/{parameters[name]}")
    def save(name: str) -> str:
        return name

    state = save(name, return_state=True)
    if name == "~/home":  # '~' inside a key is a plain folder name: k/~/home stays in the storage
        assert state.is_completed() and (storage / "k" / "~" / "home").is_file()
    else:
        assert state.is_failed() and "result_storage_key" in state.message and "refused" in state.message
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(storage in p.parents or p == storage or home in p.parents or p == home or p in storage.parents
               for p in created), created
