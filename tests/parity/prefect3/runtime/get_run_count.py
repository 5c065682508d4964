"""prefect.runtime.flow_run.get_run_count: the flow run's attempt number, across flow retries; 0 outside."""
from prefect import flow
from prefect.runtime.flow_run import get_run_count

print("outside:", get_run_count())
attempts = []


@flow(retries=2, retry_delay_seconds=0)
def flaky():
    attempts.append(get_run_count())
    if get_run_count() < 3:
        raise RuntimeError("not yet")
    return "done"


print(flaky(), attempts)
