"""Resume-to-continue latency: a flow in its own process pauses; this process resumes it
through the embedded database (or a server with --api-url) and measures how long after
`resume_flow_run` returned the flow's next line ran.

    .venv/bin/python bench/pause_resume.py                # embedded, 20 pauses per case
    .venv/bin/python bench/pause_resume.py --api-url http://127.0.0.1:4200/api

Cases: the resume comes 0.1 s or 2 s after the pause, with Prefect's default
poll_interval of 10 s (the waiting process looks after 50 ms, then backs off to 1 s). Prints one JSON line: p50 and
max of the latency (ms) per case, and p50 of the resume call itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

FLOW = textwrap.dedent("""
    import sys, time
    from headwater import flow
    from headwater.flow_runs import pause_flow_run
    from headwater.runtime import flow_run

    @flow
    def waits(n: int, poll: float) -> None:
        print("id", flow_run.id, flush=True)
        for i in range(n):
            print("paused", i, flush=True)
            pause_flow_run(timeout=600, poll_interval=poll, key=f"k{i}")
            print("continued", i, f"{time.time():.6f}", flush=True)

    waits(int(sys.argv[1]), float(sys.argv[2]))
""")


def measure(env: dict[str, str], workdir: Path, n: int, delay: float, poll: float) -> dict[str, float]:
    from headwater.client.orchestration import SyncPrefectClient
    from headwater.core.settings import load_settings

    script = workdir / "waits.py"
    script.write_text(FLOW)
    latencies, calls = [], []
    settings = load_settings(home=env["HEADWATER_HOME"], api_url=env.get("HEADWATER_API_URL"))
    with subprocess.Popen([sys.executable, str(script), str(n), str(poll)], env=env, stdout=subprocess.PIPE,
                          text=True) as proc, SyncPrefectClient(settings) as client:
        assert proc.stdout is not None
        run_id = proc.stdout.readline().split()[1]
        try:
            follow(proc, client, run_id, n, delay, latencies, calls)
        finally:
            if proc.poll() is None:
                proc.kill()
    return {"p50_ms": round(statistics.median(latencies), 1), "max_ms": round(max(latencies), 1),
            "resume_call_p50_ms": round(statistics.median(calls), 1)}


def follow(proc: subprocess.Popen[str], client: Any, run_id: str, n: int, delay: float, latencies: list[float],
           calls: list[float]) -> None:
    """Resume each pause of the flow `delay` seconds after it began; record the latencies."""
    from headwater.exceptions import ObjectNotFound

    assert proc.stdout is not None
    for i in range(n):
        assert proc.stdout.readline().split() == ["paused", str(i)]
        while True:
            try:
                state = client.read_flow_run(run_id).state
            except ObjectNotFound:  # the flow's process has not stored its run yet
                state = None
            if state is not None and state.is_paused():
                break
            time.sleep(0.005)
        time.sleep(delay)
        started = time.time()
        client.resume_flow_run(run_id)
        resumed = time.time()
        line = proc.stdout.readline().split()
        assert line[:2] == ["continued", str(i)], line
        latencies.append((float(line[2]) - resumed) * 1000)
        calls.append((resumed - started) * 1000)
    proc.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="pauses per case")
    parser.add_argument("--api-url", default=None, help="a running server's API (default: embedded)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
        env.update(HEADWATER_HOME=str(Path(tmp) / "home"), HEADWATER_LOGGING_TO_CONSOLE="false")
        if args.api_url:
            env["HEADWATER_API_URL"] = args.api_url
        os.environ.update({k: v for k, v in env.items() if k.startswith("HEADWATER_")})
        cases = {f"resume_after_{d}s": measure(env, Path(tmp), args.n, d, 10.0) for d in (0.1, 2.0)}
    print(json.dumps({"bench": "pause_resume", "mode": "server" if args.api_url else "embedded", "n": args.n,
                      **cases}))


if __name__ == "__main__":
    main()
