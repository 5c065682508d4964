"""Flows the UI tests run for real (as a subprocess, embedded mode, into the server's SQLite file).

    python ui_flows.py NAME [ARG]   # prints the flow run id on its first line

- `etl`: extract -> transform mapped over 4 items (data edges) -> summarize (data) and
  load (waits for extract); a subflow `child`.
- `xss`: a flow run named `<script>alert(1)</script>` (flow names may not hold `<`, `>`, `/`,
  `%` or `&`, as in Prefect: its flow's name has quotes instead) with HTML in a task name,
  a parameter and a log line.
- `fails`: raises with an error line.
- `waits FILE`: runs until FILE exists (bounded), logging as it goes: a run in flight.
- `wide N`: N mapped task runs.
- `serve`: serves the deployment `greet/greeter` (typed parameters) until terminated.
"""

from __future__ import annotations

import os
import sys
import time

from headwater import flow, get_run_logger, task, unmapped
from headwater.runtime import flow_run


def _started() -> None:
    print(flow_run.id, flush=True)


@task
def extract() -> dict:
    get_run_logger().info("extracted 4 rows")
    return {"rows": [1, 2, 3, 4]}


@task
def transform(i: int, data: dict) -> str:
    return f"part-{i}-{len(data['rows'])}"


@task
def summarize(part: str) -> str:
    return part.upper()


@task
def load(parts: list) -> int:
    get_run_logger().warning("loaded %d parts", len(parts))
    return len(parts)


@flow
def child(n: int = 1) -> int:
    return n * 2


@flow(name="etl")
def etl(rows: int = 4, label: str = "daily") -> int:
    _started()
    data = extract.submit()
    parts = transform.map([1, 2, 3, 4], data=unmapped(data))
    summarize.submit(parts[0]).result()
    done = load.submit([p.result() for p in parts], wait_for=[data])
    child(3)
    return done.result()


@task(name="<b>bold task</b>")
def html_task() -> str:
    get_run_logger().info('<img src=x onerror="alert(2)"> and <script>alert(3)</script>')
    return "ok"


@flow(name="""xss "quoted" 'flow'""", flow_run_name="<script>alert(1)</script>")
def xss(note: str = "<i>hi</i>") -> str:
    _started()
    return html_task()


@flow(name="fails")
def fails() -> None:
    _started()
    raise ValueError("the <b>input</b> file is missing")


@task
def wait_for_file(path: str) -> str:
    logger = get_run_logger()
    deadline = time.monotonic() + 60
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within 60 s")
        time.sleep(0.05)
    logger.info("released by %s", path)
    return path


@task
def step(i: int) -> int:
    return i


@flow(name="waits")
def waits(path: str) -> str:
    _started()
    get_run_logger().info("waiting for the test")
    step.submit(1).result()
    return wait_for_file(path)


@task
def item(i: int) -> int:
    return i


@flow(name="wide")
def wide(n: int) -> int:
    _started()
    first = item.submit(0)
    mapped = item.map(range(n - 2))
    return item.submit(sum(f.result() for f in mapped), wait_for=[first]).result()


@flow(name="greet")
def greet(name: str, times: int = 1, loud: bool = False, extra: dict | None = None) -> str:
    """Say hello, `times` times."""
    text = f"hello {name}" + (f" {extra}" if extra else "")
    for _ in range(times):
        get_run_logger().info(text.upper() if loud else text)
    return text


if __name__ == "__main__":
    name = sys.argv[1]
    if name == "serve":  # serve the `greet` deployment until terminated
        greet.serve("greeter", tags=["ui-test"], interval=3600)
    try:
        if name == "etl":
            etl()
        elif name == "xss":
            xss()
        elif name == "fails":
            fails()
        elif name == "waits":
            waits(sys.argv[2])
        elif name == "wide":
            wide(int(sys.argv[2]))
    except ValueError:
        pass  # `fails` fails on purpose; its history is what the test looks at
