"""A child of the run logger (`get_run_logger().getChild("x")`) logs under `prefect.flow_runs.x`
(or `prefect.task_runs.x`) and its records still carry the run's fields.

Exercises prefect.get_run_logger(...).getChild with a user logging.Handler on the `prefect` logger."""
import logging

from prefect import flow, get_run_logger, task


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("app:"):
            self.seen.append((record.name, record.levelname, msg,
                              getattr(record, "flow_run_name", None), getattr(record, "task_run_name", None)))


handler = Collect()
logging.getLogger("prefect").addHandler(handler)


@task(task_run_name="child-task")
def work():
    child = get_run_logger().getChild("db")
    print("task child is an adapter:", isinstance(child, logging.LoggerAdapter))
    child.info("app: from the task's child")
    child.debug("app: below the level")
    return 1


@flow(flow_run_name="child-flow")
def main():
    child = get_run_logger().getChild("x")
    print("flow child is an adapter:", isinstance(child, logging.LoggerAdapter))
    print("flow child level:", child.getEffectiveLevel())
    child.info("app: hello from child %s", 1)
    child.getChild("y").warning("app: grandchild")
    child.getChild("z", extra={"note": "kept"}).error("app: with extra")
    return work()


if __name__ == "__main__":
    print("result:", main())
    for item in handler.seen:
        print(item)
