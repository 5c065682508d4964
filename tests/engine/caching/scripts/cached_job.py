"""A flow whose task is cached on its inputs; run as `python cached_job.py X [options]`.

Every real call of the task appends a line to $CALLS_FILE, so the tests can count
calls across processes. The task returns `x * 10 + <calls so far>` so that a value
computed again differs from a cached one. `GATE`, when set by an importing test,
is called inside the task (to hold the computation while others line up).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from headwater import flow, task
from headwater.cache_policies import INPUTS

GATE: Callable[[], None] | None = None


def _record_call() -> int:
    calls = Path(os.environ["CALLS_FILE"])
    with calls.open("a") as f:
        f.write(f"{os.getpid()}\n")
    return len(calls.read_text().splitlines())


@task(cache_policy=INPUTS, cache_expiration=timedelta(days=1))
def compute(x: int) -> int:
    count = _record_call()
    if GATE is not None:
        GATE()
    return x * 10 + count


@task(cache_policy=INPUTS, cache_expiration=timedelta(microseconds=1))
def compute_briefly(x: int) -> int:
    return x * 10 + _record_call()


@task(cache_policy=INPUTS, isolation_level="SERIALIZABLE")
def compute_once(x: int) -> int:
    count = _record_call()
    if GATE is not None:
        GATE()
    return x * 10 + count


@task(cache_policy=INPUTS, result_serializer="json")
def compute_json(x: int) -> dict:
    return {"x": x, "calls": _record_call(), "items": [1, 2.5, "three", None]}


TASKS = {"compute": compute, "compute_briefly": compute_briefly, "compute_once": compute_once,
         "compute_json": compute_json}


@flow
def job(task_name: str, x: int) -> object:
    return TASKS[task_name](x)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("x", type=int)
    parser.add_argument("--task", default="compute", choices=sorted(TASKS))
    args = parser.parse_args()
    print(json.dumps({"result": job(args.task, args.x)}))


if __name__ == "__main__":
    main()
