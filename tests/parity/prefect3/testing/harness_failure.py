"""Inside prefect_test_harness, a failing flow's state can be asserted on like any other run.

Exercises prefect_test_harness with a failing flow and return_state."""
from prefect import flow
from prefect.testing.utilities import prefect_test_harness


@flow
def fails(n: int):
    if n > 1:
        raise ValueError(f"n too big: {n}")
    return n


if __name__ == "__main__":
    with prefect_test_harness(server_startup_timeout=90):
        ok = fails(1, return_state=True)
        bad = fails(5, return_state=True)
        print(ok.is_completed(), bad.is_failed())
        try:
            bad.result()
        except ValueError as exc:
            print("ValueError", exc)
