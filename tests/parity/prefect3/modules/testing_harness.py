"""prefect.testing.utilities: flows run inside prefect_test_harness (a throwaway history),
several harnesses one after another, and the small assertion helpers.
(Prefect 3 docs: testing workflows.)"""
import warnings

from prefect import flow, task
from prefect.logging import disable_run_logger
from prefect.testing.utilities import assert_does_not_warn, exceptions_equal, prefect_test_harness


@task(retries=1)
def flaky(calls: list) -> str:
    calls.append(1)
    if len(calls) == 1:
        raise RuntimeError("first try")
    return "recovered"


@flow
def my_flow() -> str:
    return "Done!"


@flow
def with_task() -> str:
    return flaky([])


with prefect_test_harness():
    print("inside harness:", my_flow())
    print("task with retry:", with_task())
    state = my_flow(return_state=True)
    print("state:", state.type.value, state.is_completed())

with prefect_test_harness():
    print("second harness:", my_flow())

print("after harnesses:", my_flow())
with disable_run_logger():
    print("task fn without a run:", flaky.fn([1]))

print("same exceptions:", exceptions_equal(ValueError("x"), ValueError("x")),
      exceptions_equal(ValueError("x"), ValueError("y")), exceptions_equal(ValueError("x"), KeyError("x")))
with assert_does_not_warn():
    print("no warning here")
try:
    with assert_does_not_warn():
        warnings.warn("careful", UserWarning)
except AssertionError:
    print("a warning fails the block")
with assert_does_not_warn(ignore_warnings=[UserWarning]):
    warnings.warn("ignored", UserWarning)
    print("ignored warning passes")
