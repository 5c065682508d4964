"""With log_prints on a flow, a print() to sys.stderr is captured as a record too, and tasks inherit the setting.

Exercises @flow(log_prints=True) for prints to stdout and stderr and the task default."""
import logging
import sys

from prefect import flow, task


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("p:"):
            self.seen.append(msg)


handler = Collect()
logging.getLogger().addHandler(handler)


@task
def inner():
    print("p: from task")


@flow(log_prints=True)
def main():
    print("p: to stdout")
    print("p: to stderr", file=sys.stderr)
    inner()


if __name__ == "__main__":
    main()
    print("captured", handler.seen)
