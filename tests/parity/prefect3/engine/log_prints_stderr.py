"""log_prints=True turns print() calls into log records, including print(file=sys.stderr);
a handler attached to the run logger's underlying logger observes the messages."""
import logging
import sys

from prefect import flow, get_run_logger, task

seen = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("msg"):
            seen.append((record.levelname, record.getMessage()))


def attach():
    logger = get_run_logger().logger
    if not any(isinstance(h, Collect) for h in logger.handlers):
        logger.addHandler(Collect())


@task
def t():
    attach()
    print("msg from task")
    print("msg task to stderr", file=sys.stderr)


@task(log_prints=False)
def quiet():
    attach()
    print("msg not captured")


@flow(log_prints=True)
def main():
    attach()
    print("msg from flow")
    print("msg flow to stderr", file=sys.stderr)
    t()
    quiet()


main()
for level, message in seen:
    print(level, message)
