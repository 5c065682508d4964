"""task_run.run_count grows with each retry attempt; flow_run.run_count is 1 for a single attempt.

Exercises runtime run_count together with @task(retries=...)."""
from prefect import flow, task
from prefect.runtime import flow_run, task_run

seen = []


@task(retries=3)
def flaky():
    seen.append(task_run.run_count)
    if task_run.run_count < 3:
        raise ValueError("again")
    return "ok"


@flow(retries=1)
def main():
    print("flow run_count", flow_run.run_count)
    return flaky()


if __name__ == "__main__":
    print(main())
    print("task run counts", seen)
