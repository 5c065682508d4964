"""Concurrency slots on the embedded store: latency alone, under history writes, and contended.

Prints one JSON line per measure:

- `uncontended`: `with concurrency("bench"): pass` N times in one process (take a
  leased slot, register it with the renewer, release it): p50/p99/mean in ms.
- `uncontended_while_writing_history`: the same while another thread of the same
  process runs a flow of trivial tasks non-stop, so the background writer keeps
  committing history batches to the same SQLite file.
- `contended`: 4 processes share a limit of 2 and take a slot 50 times each (200
  in all), holding it 5 ms each time; throughput in acquisitions per second and the
  most holders seen at once (from the times each holder wrote; must be <= 2).

    python bench/concurrency_slots.py [--n 2000] [--processes 4] [--each 50] [--hold-ms 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, headwater_env, machine, run_child  # noqa: E402

LATENCY_CHILD = r"""
import json, statistics, threading, time
from headwater import flow, task
from headwater.concurrency import limits
from headwater.concurrency.sync import concurrency

N, WITH_HISTORY = {n}, {with_history}
limits.create_limit("bench", 1000)
for _ in range(50):  # warm up: compiled statements, renewer thread
    with concurrency("bench"):
        pass

stop = threading.Event()
tasks_run = [0]

@task
def noop(i):
    return i

@flow
def busy():
    for i in range(2000):
        noop(i)
        tasks_run[0] += 1
        if stop.is_set():
            return

def keep_writing():
    while not stop.is_set():
        busy()

writer = threading.Thread(target=keep_writing) if WITH_HISTORY else None
if writer:
    writer.start()
    time.sleep(0.5)  # let the history writer get going
samples = []
for _ in range(N):
    start = time.perf_counter()
    with concurrency("bench"):
        pass
    samples.append((time.perf_counter() - start) * 1000)
stop.set()
if writer:
    writer.join()
samples.sort()
print(json.dumps({{
    "n": N,
    "p50_ms": round(samples[len(samples) // 2], 3),
    "p99_ms": round(samples[int(len(samples) * 0.99)], 3),
    "mean_ms": round(statistics.fmean(samples), 3),
    "max_ms": round(samples[-1], 3),
    "history_tasks_meanwhile": tasks_run[0],
}}))
"""

CONTENDER = r"""
import json, sys, time
from headwater.concurrency.sync import concurrency
print("ready", flush=True)
sys.stdin.readline()
windows = []
for _ in range({each}):
    with concurrency("contended", timeout_seconds=120):
        began = time.time()
        time.sleep({hold})
        windows.append((began, time.time()))
print(json.dumps(windows), flush=True)
"""


def max_overlap(windows: list[tuple[float, float]]) -> int:
    events = sorted([(b, 1) for b, _ in windows] + [(e, -1) for _, e in windows])
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def latency(home: Path, n: int, with_history: bool) -> dict[str, Any]:
    code = LATENCY_CHILD.format(n=n, with_history=with_history)
    return run_child(code, home, home / "latency.log")


def contended(home: Path, processes: int, each: int, hold_ms: float) -> dict[str, Any]:
    from headwater.store import Store

    home.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{home / 'headwater.db'}")
    store.limits.create_concurrency_limit("contended", 2)
    store.close()
    code = CONTENDER.format(each=each, hold=hold_ms / 1000)
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=headwater_env(home), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, cwd=home)
        for _ in range(processes)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    windows: list[tuple[float, float]] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise SystemExit(f"contender failed with exit {proc.returncode}")
        windows += [tuple(w) for w in json.loads(out.strip().splitlines()[-1])]  # type: ignore[misc]
    span = max(e for _, e in windows) - min(b for b, _ in windows)
    held = sum(e - b for b, e in windows)
    return {
        "processes": processes,
        "limit": 2,
        "acquisitions": len(windows),
        "hold_ms": hold_ms,
        "seconds": round(span, 3),
        "acquisitions_per_s": round(len(windows) / span, 1),
        "slot_utilisation": round(held / (2 * span), 3),  # 1.0 = both slots busy all the time
        "max_simultaneous_holders": max_overlap(windows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="acquire+release cycles per latency measure")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--each", type=int, default=50, help="acquisitions per contending process")
    parser.add_argument("--hold-ms", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        for name, with_history in (("uncontended", False), ("uncontended_while_writing_history", True)):
            home = Path(tmp) / name
            home.mkdir()
            emit({"bench": "concurrency_slots", "measure": name, **latency(home, args.n, with_history),
                  "machine": machine()})
        emit({"bench": "concurrency_slots", "measure": "contended",
              **contended(Path(tmp) / "contended", args.processes, args.each, args.hold_ms), "machine": machine()})


if __name__ == "__main__":
    main()
