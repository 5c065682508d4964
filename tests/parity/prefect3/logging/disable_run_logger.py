"""disable_run_logger() lets a task's .fn that calls get_run_logger run outside a flow (as in unit tests).

Exercises prefect.logging.disable_run_logger (docs: testing workflows)."""
from prefect import get_run_logger, task
from prefect.logging import disable_run_logger


@task
def add_one(x: int) -> int:
    get_run_logger().info("adding")
    return x + 1


with disable_run_logger():
    print("fn result", add_one.fn(41))
