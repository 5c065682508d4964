"""retry_condition_fn decides whether a failure is retried: here only ValueError is.

Exercises @task(retry_condition_fn=...) (Prefect docs: tasks, "Retry condition")."""
from prefect import flow, task

log = []


def only_value_errors(task, task_run, state) -> bool:
    try:
        state.result()
    except ValueError:
        return True
    except Exception:
        return False
    return False


@task(retries=3, retry_condition_fn=only_value_errors)
def sometimes(kind: str):
    log.append(kind)
    if kind == "value" and log.count("value") < 3:
        raise ValueError("retry me")
    if kind == "type":
        raise TypeError("do not retry me")
    return kind


@flow
def run():
    print(sometimes("value"))
    state = sometimes("type", return_state=True)
    print(state.type.value, type(state.result(raise_on_failure=False)).__name__)
    return log


print(run())
