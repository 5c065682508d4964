"""Prefect 1 advanced tutorial "task looping": compute_large_fibonacci raises LOOP with the
accumulated payload until the next Fibonacci number passes M; the web API is replaced by a
local function. Also mapped over several Ms.

Exercises prefect.engine.signals.LOOP(message=, result=), prefect.context task_loop_result /
task_loop_count, looping inside mapped tasks.
"""
import logging
import sys
from datetime import timedelta

import prefect
from prefect import task, Flow, Parameter
from prefect.engine.signals import LOOP

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


def nth_fibonacci(nth):
    """Local stand-in for the tutorial's Fibonacci web API."""
    calls.append(nth)
    a, b = 1, 1
    for _ in range(nth):
        a, b = b, a + b
    return a


@task(max_retries=5, retry_delay=timedelta(seconds=2))
def compute_large_fibonacci(M):
    # we extract the accumulated task loop result from context
    loop_payload = prefect.context.get("task_loop_result", {})

    n = loop_payload.get("n", 1)
    fib = loop_payload.get("fib", 1)

    next_fib = nth_fibonacci(n)

    if next_fib > M:
        return fib  # return statements end the loop

    raise LOOP(message=f"Fib {n}={next_fib}", result=dict(n=n + 1, fib=next_fib))


with Flow("fibonacci") as flow:
    M = Parameter("M")
    fib_num = compute_large_fibonacci(M)

flow_state = flow.run(M=100)
print(flow_state.result[fib_num].result)  # 89
print("api calls:", len(calls))

flow_state = flow.run(M=1000)
print(flow_state.result[fib_num].result)  # 987
print("state:", type(flow_state.result[fib_num]).__name__)

with Flow("mapped-fibonacci") as mapped_flow:
    ms = Parameter("ms")
    fib_nums = compute_large_fibonacci.map(ms)

flow_state = mapped_flow.run(ms=[10, 100, 1000, 1500])
print(flow_state.result[fib_nums].result)  # [8, 89, 987, 987]
print([type(s).__name__ for s in flow_state.result[fib_nums].map_states])
