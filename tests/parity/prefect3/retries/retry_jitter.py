"""retry_jitter_factor randomises delays; only the number of runs is deterministic.

Exercises @task(retry_jitter_factor=...) (Prefect docs: tasks, "Retry jitter")."""
from prefect import flow, task

runs = {"n": 0}


@task(retries=2, retry_delay_seconds=0.1, retry_jitter_factor=0.5)
def jittery():
    runs["n"] += 1
    if runs["n"] < 3:
        raise RuntimeError("jitter")
    return "done"


@flow
def run():
    return jittery()


print(run(), runs["n"])
print(jittery.retry_jitter_factor)
