"""A failing subflow raises its exception in the parent; uncaught, the parent fails too.

Exercises failure propagation from subflows, observed through return_state on the parent."""
from prefect import flow


@flow
def child():
    raise KeyError("missing-key")


@flow
def parent():
    child()
    return "unreachable"


if __name__ == "__main__":
    state = parent(return_state=True)
    print("parent", state.type.value, state.is_failed())
    try:
        state.result()
    except KeyError as exc:
        print("raised KeyError", exc.args[0])
