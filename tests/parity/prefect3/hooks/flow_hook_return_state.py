"""A flow returning Completed(name="Skipped") keeps the custom state name, and on_completion sees it.

Exercises custom state names with flow hooks (prefect.states.Completed(name=...))."""
from prefect import flow
from prefect.states import Completed


def hook(fl, run, state):
    print("hook", state.type.value, state.name)


@flow(on_completion=[hook])
def maybe_skip():
    return Completed(name="Skipped", message="nothing to do")


if __name__ == "__main__":
    s = maybe_skip(return_state=True)
    print("final", s.name, s.message)
