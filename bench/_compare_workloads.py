"""The workloads of `compare_prefect.py`, each written once, as Prefect 3 code.

`for_system(template, "headwater")` renames the imports, which is all the migration
headwater promises; the Prefect variant is the template as it is. Each is a script:
sizes come from its command line, and it prints one JSON object of timings.
"""

from __future__ import annotations

import re

__all__ = ["CACHE", "FLOW_WITH_ONE_TASK", "SEQUENTIAL", "SUBMIT", "for_system"]


SEQUENTIAL = '''
import json, sys, time
from prefect import flow, task

def add_one(x: int) -> int:
    return x + 1

tracked_add_one = task(add_one)

@flow
def many_tasks(n: int) -> int:
    total = 0
    for i in range(n):
        total += tracked_add_one(i)
    return total

def plain_loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += add_one(i)
    return total

N = int(sys.argv[1])
start = time.perf_counter(); many_tasks(1); first_flow_s = time.perf_counter() - start
start = time.perf_counter(); plain_loop(N); plain_s = time.perf_counter() - start
start = time.perf_counter(); many_tasks(N); flow_s = time.perf_counter() - start
print(json.dumps({"first_flow_s": first_flow_s, "plain_s": plain_s, "flow_s": flow_s}))
'''

SUBMIT = '''
import json, sys, time
from prefect import flow, task
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

N, THREADS = int(sys.argv[1]), int(sys.argv[2])

@task
def add_one(x: int) -> int:
    return x + 1

@flow(task_runner=ThreadPoolTaskRunner(max_workers=THREADS))
def submitted(n: int) -> None:
    wait([add_one.submit(i) for i in range(n)])

@flow(task_runner=ThreadPoolTaskRunner(max_workers=THREADS))
def mapped(n: int) -> None:
    add_one.map(range(n)).wait()

start = time.perf_counter(); submitted(1); timings = {"first_flow_s": time.perf_counter() - start}
for name, run in (("submit", submitted), ("map", mapped)):
    start = time.perf_counter(); run(N); timings[name + "_s"] = time.perf_counter() - start
print(json.dumps(timings))
'''

CACHE = '''
import json, sys, time
from prefect import flow, task
from prefect.cache_policies import INPUTS

calls = 0

@task(cache_policy=INPUTS)
def square(x: int) -> int:
    global calls
    calls += 1
    return x * x

@task
def plain(x: int) -> int:
    return x * x

@flow
def cached_calls(n: int) -> int:
    return sum(square(7) for _ in range(n))

@flow
def plain_calls(n: int) -> int:
    return sum(plain(7) for _ in range(n))

N = int(sys.argv[1])
plain_calls(1)  # opens (creates) the database: not timed
start = time.perf_counter(); cached_calls(1); first_s = time.perf_counter() - start
start = time.perf_counter(); cached_calls(N); hits_s = time.perf_counter() - start
start = time.perf_counter(); plain_calls(N); plain_s = time.perf_counter() - start
print(json.dumps({"first_s": first_s, "hits_s": hits_s, "plain_s": plain_s, "calls": calls}))
'''

FLOW_WITH_ONE_TASK = '''
from prefect import flow, task


@task
def say_hello(name: str) -> str:
    return f"Hello, {name}!"


@flow(log_prints=True)
def hello(name: str = "world") -> None:
    print(say_hello(name))


if __name__ == "__main__":
    hello()
'''


def for_system(template: str, package: str) -> str:
    """The workload `template` (Prefect code) with its imports renamed to `package`."""
    return re.sub(r"\bprefect\b", package, template)
