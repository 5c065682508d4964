"""A live run is not a zombie (issue 19 item 7): a task that holds the GIL longer than the
zombie limit and its lease (a regular expression backtracking in C: no Python thread
runs meanwhile, so no heartbeat and no lease renewal is sent) keeps its run and its
slot. Real server process, real client processes, a limit of one slot.

The server checks what it can check: a lease holder (or a run with such a holder) on its
own host whose process is alive, same pid and same start time, is alive, whatever its
heartbeats say.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support import ServerProcess, wait_for

HEADWATER = str(Path(sys.executable).with_name("headwater"))

FLOW = '''
import contextlib, json, os, re, sys, time
from pathlib import Path

if "elsewhere" in sys.argv[5:]:
    # As if the flow ran on another machine than the server: the server cannot check its process.
    _real = os.uname()
    os.uname = lambda: os.uname_result((_real.sysname, "another-machine", _real.release, _real.version, _real.machine))

from headwater import flow, task
from headwater.concurrency.sync import concurrency

out = Path(sys.argv[1])
who = sys.argv[2]
hold = float(sys.argv[3])
slot = len(sys.argv) < 5  # "noslot": no concurrency limit, so no lease names this process


def _n_for(seconds):
    """Backtracking steps doubling per two characters: measure, then pick the size."""
    n, took = 16, 0.0
    while took < 0.05:
        n += 2
        start = time.perf_counter(); re.match(r"(a+)+$", "a" * n + "b"); took = time.perf_counter() - start
    while took < seconds:
        n += 2
        took *= 4
    return n


@task
def busy() -> str:
    with concurrency("gil-slot", occupy=1) if slot else contextlib.nullcontext():
        with open(out / "events.log", "a") as f:
            f.write(json.dumps([who, "start", time.time()]) + "\\n")
        if hold > 0:
            time.sleep(1.0)  # part of the scenario: the run has heartbeated a few times (every 0.3 s) first
            re.match(r"(a+)+$", "a" * SIZE + "b")  # in C, with the GIL held
        with open(out / "events.log", "a") as f:
            f.write(json.dumps([who, "end", time.time()]) + "\\n")
    return who


@flow(name="gil-" + who)
def main() -> str:
    return busy()


SIZE = _n_for(hold) if hold > 0 else 0
(out / f"{who}.ready").write_text("")
print(main())
'''


@pytest.fixture
def server(tmp_path: Path) -> ServerProcess:
    started = ServerProcess(tmp_path / "home", HEADWATER_ZOMBIE_AFTER_SECONDS="2",
                            HEADWATER_SERVICES_INTERVAL_SECONDS="0.2").start()
    yield started  # type: ignore[misc]
    started.stop()


def test_a_task_holding_the_gil_keeps_its_run_and_its_slot(server: ServerProcess, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as api:
        _slot_kept(api, server, tmp_path)


def _slot_kept(api: httpx.Client, server: ServerProcess, tmp_path: Path) -> None:
    assert api.post("/v2/concurrency_limits/", json={"name": "gil-slot", "limit": 1}).status_code < 300
    script = tmp_path / "gil_flow.py"
    script.write_text(FLOW)
    env = dict(server.env, HEADWATER_API_URL=server.url, HEADWATER_HEARTBEAT_INTERVAL_SECONDS="0.3",
               HEADWATER_CONCURRENCY_LEASE_SECONDS="1", HEADWATER_LOGGING_TO_CONSOLE="false")
    env.pop("HEADWATER_DATABASE_URL", None)
    events = tmp_path / "events.log"
    holder = subprocess.Popen([sys.executable, str(script), str(tmp_path), "holder", "4"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: events.exists() and "start" in events.read_text(), 60, "the holder to take the slot")
        second = subprocess.Popen([sys.executable, str(script), str(tmp_path), "second", "0"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = holder.communicate(timeout=120)
        assert holder.returncode == 0, err
        out2, err2 = second.communicate(timeout=120)
        assert second.returncode == 0, err2
    finally:
        for proc in (holder,):
            if proc.poll() is None:
                proc.kill()
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    times = {(who, what): at for who, what, at in rows}
    held = times[("holder", "end")] - times[("holder", "start")]
    assert held > 3, held  # longer than the zombie limit (2 s) and the lease (1 s)
    assert times[("second", "start")] >= times[("holder", "end")], rows  # the one slot was never shared
    runs = api.post("/flow_runs/filter", json={}).json()
    by_flow = {run["flow_name"]: run for run in runs}
    holder_run = by_flow["gil-holder"]
    assert holder_run["state"]["type"] == "COMPLETED", holder_run["state"]
    history = [s["type"] for s in api.get("/flow_run_states/", params={"flow_run_id": holder_run["id"]}).json()]
    assert "CRASHED" not in history, history  # never declared dead while it lived
    (tmp_path / "figures.json").write_text(json.dumps({"held_seconds": held}))
    print(f"GIL held {held:.1f} s; zombie limit 2 s; lease 1 s; second holder waited "
          f"{times[('second', 'start')] - times[('holder', 'start')]:.1f} s")


def test_a_run_declared_crashed_that_completes_is_recorded_as_a_recovery(server: ServerProcess,
                                                                        tmp_path: Path) -> None:
    """On another host nothing tells the server the process lives (no lease either): it
    declares the run Crashed; the run's real end then says it recovered."""
    with httpx.Client(base_url=server.url, timeout=30) as api:
        _recovery(api, server, tmp_path)


def test_a_run_holding_the_gil_on_the_servers_host_is_not_declared_dead(server: ServerProcess,
                                                                       tmp_path: Path) -> None:
    """No lease, heartbeats late past the limit: the run's own recorded process, alive on
    the server's host, keeps it from being declared a zombie."""
    script = tmp_path / "gil_flow.py"
    script.write_text(FLOW)
    env = dict(server.env, HEADWATER_API_URL=server.url, HEADWATER_HEARTBEAT_INTERVAL_SECONDS="0.3",
               HEADWATER_LOGGING_TO_CONSOLE="false")
    env.pop("HEADWATER_DATABASE_URL", None)
    ran = subprocess.run([sys.executable, str(script), str(tmp_path), "here", "4", "noslot"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    rows = [json.loads(line) for line in (tmp_path / "events.log").read_text().splitlines()]
    times = {(who, what): at for who, what, at in rows}
    assert times[("here", "end")] - times[("here", "start")] > 3  # past the zombie limit (2 s), GIL held
    with httpx.Client(base_url=server.url, timeout=30) as api:
        run = next(r for r in api.post("/flow_runs/filter", json={}).json() if r["flow_name"] == "gil-here")
        kinds = [s["type"] for s in api.get("/flow_run_states/", params={"flow_run_id": run["id"]}).json()]
    assert run["state"]["type"] == "COMPLETED" and "CRASHED" not in kinds, kinds


def _recovery(api: httpx.Client, server: ServerProcess, tmp_path: Path) -> None:
    script = tmp_path / "gil_flow.py"
    script.write_text(FLOW)
    env = dict(server.env, HEADWATER_API_URL=server.url, HEADWATER_HEARTBEAT_INTERVAL_SECONDS="0.3",
               HEADWATER_LOGGING_TO_CONSOLE="false")
    env.pop("HEADWATER_DATABASE_URL", None)
    ran = subprocess.run([sys.executable, str(script), str(tmp_path), "lone", "4", "noslot", "elsewhere"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    run = next(r for r in api.post("/flow_runs/filter", json={}).json() if r["flow_name"] == "gil-lone")
    states = api.get("/flow_run_states/", params={"flow_run_id": run["id"]}).json()
    kinds = [s["type"] for s in states]
    assert "CRASHED" in kinds, kinds  # declared dead while it held the GIL
    assert run["state"]["type"] == "COMPLETED"
    assert run["state"]["message"].startswith("recovered: marked Crashed"), run["state"]
    assert (states[-1].get("details") or states[-1].get("state_details") or {})["recovered_from"]["type"] == "CRASHED", \
        states[-1]
