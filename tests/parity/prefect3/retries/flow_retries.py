"""A flow with retries re-runs its body after a failure; tasks run again in the new attempt.

Exercises @flow(retries=..., retry_delay_seconds=...) and prefect.runtime.flow_run.run_count
(Prefect docs: flows, "Retries")."""
from prefect import flow, task
from prefect.runtime import flow_run

events = []


@task
def work(i):
    events.append(f"task in attempt {i}")
    return i


@flow(retries=2, retry_delay_seconds=0)
def unreliable():
    attempt = flow_run.run_count
    work(attempt)
    if attempt < 3:
        raise RuntimeError(f"flow attempt {attempt} failed")
    return f"ok on attempt {attempt}"


print(unreliable())
print(events)
