"""Messages logged with get_run_logger() in flows and tasks reach a handler on the root logger, in order.

Exercises prefect.get_run_logger with a user logging.Handler (messages and levels only)."""
import logging

from prefect import flow, get_run_logger, task


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("app:"):
            self.seen.append((record.levelname, msg))


handler = Collect()
logging.getLogger().addHandler(handler)


@task
def t(x):
    get_run_logger().warning("app: task got %s", x)


@flow
def main():
    log = get_run_logger()
    log.info("app: flow start")
    t(5)
    log.error("app: flow end")


if __name__ == "__main__":
    main()
    for item in handler.seen:
        print(item)
