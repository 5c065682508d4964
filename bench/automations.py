"""Automations: from an event being stored to its automation's action starting, at a
steady rate, through a real server.

    python bench/automations.py [--rate 100] [--seconds 10] [--automations 20] [--database-url URL | --postgres]

Starts `headwater server start` on a fresh SQLite home (or `--database-url`, or with
`--postgres` a throwaway PostgreSQL cluster as bench/api_throughput.py makes), creates
`--automations` automations of which one matches the events sent (its action: do
nothing, so the figure is the trigger service's, not a receiver's), then POSTs
`--rate` events a second to `/api/events` for `--seconds`. For each event, the delay
from its `received` time (when the server stored it) to the `created` time of the
action's row (claimed as the action starts) is read from the database afterwards.
Prints one JSON line: p50 / p99 / max in seconds, the events sent and actions taken.
Targets (issue 17): p50 <= 1 s, p99 <= 3 s at 100 events/s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from _common import emit, machine  # noqa: E402
from api_throughput import _postgres, _start_server  # noqa: E402


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    import httpx
    from sqlalchemy import select

    from headwater.store import Store
    from headwater.store.tables import automation_actions, events

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100.0, help="events a second")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to send (bounded at 60)")
    parser.add_argument("--automations", type=int, default=20, help="automations (one matches)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as cleanup:
        home = Path(tmp)
        if args.postgres:
            args.database_url, stop_postgres = _postgres(home)
            cleanup.callback(stop_postgres)
        proc, url = _start_server(home, args.database_url)
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                for i in range(args.automations):
                    expect = "bench.tick" if i == 0 else f"bench.other.{i}"
                    made = client.post("/automations/", json={"name": f"bench-{i}", "trigger": {"expect": [expect]},
                                                              "actions": [{"type": "do-nothing"}]})
                    made.raise_for_status()
                time.sleep(1.0)  # the service loads automations on its next pass
                sent = 0
                start = time.perf_counter()
                while (elapsed := time.perf_counter() - start) < seconds:
                    due = int(elapsed * args.rate) + 1
                    while sent < due:
                        body = [{"id": str(uuid.uuid4()), "event": "bench.tick",
                                 "resource": {"prefect.resource.id": f"bench.thing.{sent % 10}"}}]
                        client.post("/events", json=body).raise_for_status()
                        sent += 1
                    time.sleep(max(0.0, (sent / args.rate) - (time.perf_counter() - start)))
                deadline = time.monotonic() + 10
                database = args.database_url or f"sqlite:///{home / 'headwater.db'}"
                with Store.open(database) as store:
                    query = (select(events.c.received, automation_actions.c.created)
                             .join(automation_actions, automation_actions.c.firing_key == events.c.id)
                             .where(events.c.event == "bench.tick"))
                    rows = store.db.read(lambda conn: conn.execute(query).all())
                    while len(rows) < sent and time.monotonic() < deadline:
                        time.sleep(0.2)
                        rows = store.db.read(lambda conn: conn.execute(query).all())
        finally:
            proc.terminate()
            proc.wait(30)
    delays = [created - received for received, created in rows]
    result = {"bench": "automations", "rate_per_s": args.rate, "seconds": seconds, "automations": args.automations,
              "events_sent": sent, "actions_started": len(rows),
              "event_to_action_p50_s": round(_quantile(delays, 0.5), 3) if delays else None,
              "event_to_action_p99_s": round(_quantile(delays, 0.99), 3) if delays else None,
              "event_to_action_max_s": round(max(delays), 3) if delays else None,
              "database": "postgresql" if args.database_url else "sqlite"}
    result.update(machine())
    emit(result)


if __name__ == "__main__":
    main()
