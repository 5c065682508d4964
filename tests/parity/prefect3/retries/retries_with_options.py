"""with_options(retries=...) on a task changes how many times it runs; the original stays at 0.

Exercises Task.with_options(retries=..., retry_delay_seconds=...) (Prefect API: Task)."""
from prefect import flow, task

runs = []


@task
def fragile(tag: str):
    runs.append(tag)
    if runs.count(tag) < 2:
        raise RuntimeError(tag)
    return tag


@flow
def run():
    print(fragile(tag="plain", return_state=True).type.value)
    print(fragile.with_options(retries=1, retry_delay_seconds=0)(tag="retried"))
    return runs


print(run())
