"""Flow-run creations per second through the API: 1 and 8 concurrent clients.

    python bench/api_throughput.py [--seconds 5] [--clients 1 8] [--postgres] [--wrk]

Starts `headwater server start` on a fresh SQLite home (and, with --postgres, on a
throwaway PostgreSQL cluster started from Debian's binaries), then runs each client
in its own process: a keep-alive httpx client POSTing `/api/flow_runs/` as fast as
it can for `--seconds`. Reports creations per second over all clients and the p50 /
p99 / max latency of single calls. Target on SQLite with 8 clients: >= 1,000/s,
p99 < 100 ms. Prints one JSON line.

The Python clients cost about as much CPU per request as the server does, and on a
2-core machine they share its cores; `--wrk` adds a run driven by wrk (a C load
generator, Debian's `wrk` package) over 8 keep-alive connections, which leaves the
server most of the machine (`sqlite_wrk`, `postgres_wrk`).
"""

from __future__ import annotations

import argparse
import glob
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit, headwater_env, machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(url: str, seconds: float, start_at: float, results: Any) -> None:
    import httpx

    latencies = []
    with httpx.Client(base_url=url, timeout=60) as client:
        client.get("/health")
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        i = 0
        while time.time() < end:
            t0 = time.perf_counter()
            response = client.post("/flow_runs/", json={"flow_name": "bench", "parameters": {"i": i}})
            latencies.append(time.perf_counter() - t0)
            if response.status_code != 201:
                raise SystemExit(f"create failed: {response.status_code} {response.text[:300]}")
            i += 1
    results.put(latencies)


def measure(url: str, clients: int, seconds: float) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    start_at = time.time() + 1.0  # every client connected and waiting
    procs = [ctx.Process(target=_client, args=(url, seconds, start_at, results)) for _ in range(clients)]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    for _ in procs:
        latencies.extend(results.get(timeout=seconds + 120))
    for proc in procs:
        proc.join(30)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "clients": clients,
        "creations": len(latencies),
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(pick(0.50), 2),
        "p99_ms": round(pick(0.99), 2),
        "max_ms": round(latencies[-1] * 1000, 2),
    }


_WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"flow_name": "bench", "parameters": {"i": 1}}'
"""


def measure_with_wrk(url: str, connections: int, seconds: float, root: Path) -> dict[str, Any]:
    """The same creations driven by wrk (C, one thread): what the server does when its
    load generator does not take most of the other core, as httpx clients do here."""
    script = root / "post.lua"
    script.write_text(_WRK_SCRIPT)
    done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(script),
                           f"{url}/flow_runs/"], capture_output=True, text=True, check=True)
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def latency(q: str) -> float:
        value, unit = re.search(rf"\s{q}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    return {"connections": connections, "per_second": round(rate, 1), "p50_ms": latency("50"),
            "p99_ms": latency("99"), "not_2xx": int(errors.group(1)) if errors else 0}


def _start_server(home: Path, database_url: str | None) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    env = headwater_env(home, **({"HEADWATER_DATABASE_URL": database_url} if database_url else {}))
    exe = str(Path(sys.executable).with_name("headwater"))
    proc = subprocess.Popen([exe, "server", "start", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        time.sleep(0.02)


def _postgres(root: Path) -> tuple[str, Any]:
    """A throwaway PostgreSQL cluster; returns its URL and a function stopping it."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        raise SystemExit("--postgres needs Debian's postgresql package (apt-get install postgresql)")
    bin_dir = bins[-1]
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data_root = Path(tempfile.mkdtemp(prefix="headwater-bench-pg-"))  # postgres must reach it: not under root
    if as_pg:
        shutil.chown(data_root, user="postgres", group="postgres")
    port = _free_port()
    data = str(data_root / "data")
    subprocess.run([*as_pg, f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"],
                   check=True, capture_output=True)
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data_root} -c max_connections=200"
    subprocess.run([*as_pg, f"{bin_dir}/pg_ctl", "-D", data, "-o", options, "-l", str(data_root / "log"), "-w",
                    "start"], check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*as_pg, f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data_root, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--postgres", action="store_true", help="also measure on a throwaway PostgreSQL")
    parser.add_argument("--wrk", action="store_true",
                        help="also drive 8 connections with wrk (Debian's wrk package) instead of Python clients")
    args = parser.parse_args()
    report: dict[str, Any] = {"bench": "api_throughput", "seconds": args.seconds}
    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        root = Path(tmp)
        databases: list[tuple[str, str | None, Any]] = [("sqlite", None, None)]
        if args.postgres:
            url, stop = _postgres(root)
            databases.append(("postgres", url, stop))
        for label, database_url, stop in databases:
            server, api = _start_server(root / label, database_url)
            try:
                report[label] = [measure(api, n, args.seconds) for n in args.clients]
                if args.wrk:
                    report[f"{label}_wrk"] = measure_with_wrk(api, 8, args.seconds, root)
            finally:
                server.terminate()
                server.wait(30)
                if stop is not None:
                    stop()
    report.update(target_per_second_8_clients_sqlite=1000, target_p99_ms=100, **machine())
    emit(report)


if __name__ == "__main__":
    main()
