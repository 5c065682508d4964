"""Flow on_completion / on_failure hooks receive (flow, flow_run, state).

Exercises @flow(on_completion=..., on_failure=...)."""
from prefect import flow


def on_ok(fl, flow_run, state):
    print("flow completed hook:", fl.name, state.type.value)


def on_bad(fl, flow_run, state):
    print("flow failed hook:", fl.name, state.type.value)


@flow(on_completion=[on_ok], on_failure=[on_bad])
def work(fail: bool):
    if fail:
        raise RuntimeError("bad")
    return 1


if __name__ == "__main__":
    work(False)
    s = work(True, return_state=True)
    print("final", s.name)
