"""`import prefect` then prefect.context.get_run_context() works inside a flow; prefect.tags is available.

Exercises attribute access through the top-level prefect module."""
import prefect


@prefect.task
def t():
    return prefect.context.get_run_context().task_run.name.startswith("t-")


@prefect.flow
def main():
    ctx = prefect.context.get_run_context()
    print("flow run parameters", ctx.flow_run.parameters)
    print("task name check", t())


if __name__ == "__main__":
    main()
