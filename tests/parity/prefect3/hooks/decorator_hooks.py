"""Hooks attached with decorators: @my_task.on_completion, @my_task.on_failure, @my_flow.on_completion.

Exercises the decorator form of state change hooks."""
from prefect import flow, task


@task
def risky(x: int) -> int:
    if x < 0:
        raise ValueError("negative")
    return x


@risky.on_completion
def task_ok(tsk, run, state):
    print("task ok hook", state.name)


@risky.on_failure
def task_bad(tsk, run, state):
    print("task failure hook", state.name)


@flow
def main():
    risky(1)
    risky(-1, return_state=True)
    return "done"


@main.on_completion
def flow_ok(fl, run, state):
    print("flow ok hook", state.name)


if __name__ == "__main__":
    main()
