"""Task on_completion and on_failure hooks receive (task, task_run, state) and run on the matching outcome.

Exercises @task(on_completion=[...], on_failure=[...]) (docs: "State change hooks")."""
from prefect import flow, task


def done(tsk, task_run, state):
    print("completion hook:", tsk.name, state.name)


def failed(tsk, task_run, state):
    print("failure hook:", tsk.name, state.name)


@task(on_completion=[done], on_failure=[failed])
def maybe(fail: bool):
    if fail:
        raise ValueError("x")
    return "ok"


@flow
def main():
    maybe(False)
    maybe(True, return_state=True)


if __name__ == "__main__":
    main()
