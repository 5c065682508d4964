"""Flows the worker tests deploy. Each writes what it did under the folder `out`,
so a test can tell exactly which runs and tasks executed, and how often."""

from __future__ import annotations

import os
import time
from pathlib import Path

from headwater import flow, task
from headwater.cache_policies import DEFAULT
from headwater.runtime import flow_run


def _append(path: Path, text: str) -> None:
    with open(path, "a") as f:
        f.write(text + "\n")


@flow
def quick(out: str, n: int = 1) -> int:
    """Marks its run once: a second execution of the same run would fail on the marker."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{flow_run.id}.ran").open("x").close()
    _append(folder / "runs.log", f"{flow_run.id} {time.time():.6f}")
    return n * 2


@task
def step(out: str, i: int, delay: float) -> int:
    _append(Path(out) / "steps.log", f"start {i} {time.time():.6f}")
    time.sleep(delay)
    return i


def _note_cancellation(flow_obj: object, run: object, state: object) -> None:
    out = Path(getattr(run, "parameters", {}).get("out", "."))
    _append(out / "hooks.log", f"on_cancellation {getattr(state, 'name', state)}")


@flow(on_cancellation=[_note_cancellation])
def slow_steps(out: str, count: int = 200, delay: float = 0.05) -> int:
    """Runs `count` tasks one after another, each logging its start."""
    Path(out).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        step(out, i, delay)
    return count


@flow
def wait_for_file(path: str, timeout: float = 60.0) -> str:
    """Runs until `path` exists (at most `timeout` seconds)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    _append(Path(path).with_suffix(".started"), f"{flow_run.id} {os.getpid()}")
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.05)
    return "done"


@flow
def exit_hard(code: int = 3) -> None:
    """Its process dies without the engine recording an end."""
    os._exit(code)


@task(persist_result=True, cache_policy=DEFAULT)
def expensive(out: str) -> int:
    _append(Path(out) / "expensive.log", "ran")
    return 21


@task
def fragile(out: str, value: int) -> int:
    _append(Path(out) / "fragile.log", "ran")
    if not (Path(out) / "fixed").exists():
        raise RuntimeError("not fixed yet")
    return value * 2


@flow
def resumable(out: str) -> int:
    """`expensive` persists its result; `fragile` fails until the file `fixed` exists."""
    Path(out).mkdir(parents=True, exist_ok=True)
    return fragile(out, expensive(out))


@flow(retries=1, retry_delay_seconds=0.3)
def die_first(out: str, deaths: int = 1) -> str:
    """Its process dies (`os._exit(137)`, as an OOM kill would leave it) on the first
    `deaths` attempts; after that it completes. Each attempt is a line of attempts.log."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "attempts.log"
    earlier = len(log.read_text().splitlines()) if log.exists() else 0
    _append(log, f"{flow_run.id} {os.getpid()}")
    if earlier < deaths:
        os._exit(137)
    return "survived"


die_first_no_retries = die_first.with_options(name="die-first-no-retries", retries=0)


@task
def wait_in_task(path: str, timeout: float) -> str:
    """A task in flight until `path` exists."""
    _append(Path(path).with_suffix(".task"), f"{os.getpid()}")
    deadline = time.monotonic() + timeout
    while not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "done"


@flow
def spawns_and_waits(path: str, ignore_sigterm: bool = False, timeout: float = 120.0) -> str:
    """Starts a subprocess of its own (a sleeper, pid in `<path>.sub`), then waits in a
    task until `path` exists. With `ignore_sigterm` it ignores SIGTERM, so only a SIGKILL
    stops it."""
    import signal
    import subprocess
    import sys

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    Path(path).with_suffix(".sub").write_text(f"{sleeper.pid}\n")
    _append(Path(path).with_suffix(".started"), f"{flow_run.id} {os.getpid()}")
    return wait_in_task(path, timeout)


@task
def hold_the_gil(seconds: float) -> float:
    """Backtracks a regular expression in C for about `seconds`, holding the GIL: no
    other thread of the process (heartbeats) runs meanwhile."""
    import re

    n, took = 16, 0.0
    while took < 0.05:
        n += 2
        start = time.perf_counter()
        re.match(r"(a+)+$", "a" * n + "b")
        took = time.perf_counter() - start
    while took < seconds:
        n += 2
        took *= 4
    start = time.perf_counter()
    re.match(r"(a+)+$", "a" * n + "b")
    return time.perf_counter() - start


@flow
def gil_holder(seconds: float = 5.0) -> float:
    """Heartbeats a moment, then holds the GIL longer than the zombie limit."""
    time.sleep(1.0)
    return hold_the_gil(seconds)
