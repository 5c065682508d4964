"""The quickstart pipeline: a task with retries inside a flow that logs its prints.

Run it with no server and no configuration:

    python examples/pipeline.py

`fetch(1)` fails on its first attempt (a stand-in for a flaky network call), so the
log shows the retry and the run still finishes Completed. Every run, state change
and log line is recorded in $HEADWATER_HOME/headwater.db (default ~/.headwater);
list them with `headwater flow-run ls`.
"""

from __future__ import annotations

from headwater import flow, get_run_logger, task
from headwater.runtime import task_run


@task(retries=3, retry_delay_seconds=[1, 2, 4])
def fetch(x: int) -> int:
    """Return `x` squared; the first attempt for `x == 1` fails to show a retry."""
    if x == 1 and task_run.run_count == 1:
        raise ConnectionError(f"upstream unavailable while fetching {x} (first attempt)")
    return x * x


@flow(log_prints=True)
def pipeline(n: int = 3) -> int:
    """Fetch `n` values, print each one, and return their sum."""
    total = 0
    for i in range(n):
        value = fetch(i)
        print(value)
        total += value
    get_run_logger().info("Fetched %d values, total %d", n, total)
    return total


if __name__ == "__main__":
    pipeline()
