"""A flow's task_runner attribute: the default is a ThreadPoolTaskRunner, a given runner is kept.

Exercises Flow.task_runner and ThreadPoolTaskRunner(max_workers=...) (Prefect API: task_runners)."""
from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner


@flow
def default_runner():
    return 1


@flow(task_runner=ThreadPoolTaskRunner(max_workers=3))
def custom_runner():
    return 2


print(type(default_runner.task_runner).__name__)
print(type(custom_runner.task_runner).__name__)
print(default_runner(), custom_runner())
