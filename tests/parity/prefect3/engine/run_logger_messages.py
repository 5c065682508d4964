"""get_run_logger() in flows and tasks: messages reach a handler on the logger behind it,
with their levels; outside a run it raises MissingContextError."""
import logging

from prefect import flow, get_run_logger, task
from prefect.exceptions import MissingContextError

seen = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("user:"):
            seen.append((record.levelname, record.getMessage()))


def attach(logger):
    if not any(isinstance(h, Collect) for h in logger.logger.handlers):
        logger.logger.addHandler(Collect())


@task
def work(x):
    logger = get_run_logger()
    attach(logger)
    logger.warning("user: task got %s", x)
    logger.debug("user: debug is below the default level")
    return x


@flow
def main():
    logger = get_run_logger()
    attach(logger)
    logger.info("user: flow starts")
    work(7)
    logger.error("user: flow ends")


main()
for level, message in seen:
    print(level, message)
try:
    get_run_logger()
except MissingContextError as exc:
    print("outside:", type(exc).__name__)
