"""An exception raised in a called task propagates into the flow, which can catch it.

Exercises task failure propagation in direct calls (Prefect docs: tasks, states)."""
from prefect import flow, task


class CustomError(Exception):
    pass


@task
def explode(msg: str):
    raise CustomError(msg)


@flow
def run():
    try:
        explode("first")
    except CustomError as exc:
        print("flow caught:", exc)
    state = explode("second", return_state=True)
    print("state:", state.type.value, state.is_failed())
    print("exception:", type(state.result(raise_on_failure=False)).__name__)
    return "recovered"


print(run())
