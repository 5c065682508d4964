"""prefect_test_harness() gives a throwaway backend for running a flow in tests; results and states are as usual.

Exercises prefect.testing.utilities.prefect_test_harness (docs: "Test workflows")."""
from prefect import flow, task
from prefect.testing.utilities import prefect_test_harness


@task
def double(x: int) -> int:
    return 2 * x


@flow
def my_flow(x: int) -> int:
    return double(x) + 1


if __name__ == "__main__":
    with prefect_test_harness(server_startup_timeout=90):
        print("result", my_flow(20))
        state = my_flow(1, return_state=True)
        print("state", state.name, state.result())
    print("harness closed")
