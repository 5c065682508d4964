"""@my_flow.on_failure attaches a hook after definition; the hook sees the Failed state's message text.

Exercises the decorator form on flows and State.message."""
from prefect import flow


@flow
def fragile():
    raise ZeroDivisionError("divide")


@fragile.on_failure
def report(fl, run, state):
    print("hook saw failure:", state.is_failed())


if __name__ == "__main__":
    state = fragile(return_state=True)
    print("state", state.name)
