"""prefect.logging.loggers.flow_run_logger / task_run_logger build run loggers from the run context.

Exercises the logger factories in prefect.logging.loggers with a root-level handler."""
import logging

from prefect import flow, task
from prefect.context import get_run_context
from prefect.logging.loggers import flow_run_logger, task_run_logger


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("x:"):
            self.seen.append(msg)


handler = Collect()
logging.getLogger().addHandler(handler)


@task
def t():
    ctx = get_run_context()
    task_run_logger(ctx.task_run, ctx.task).info("x: from task_run_logger")


@flow
def main():
    ctx = get_run_context()
    flow_run_logger(ctx.flow_run, ctx.flow).info("x: from flow_run_logger")
    t()


if __name__ == "__main__":
    main()
    print(handler.seen)
