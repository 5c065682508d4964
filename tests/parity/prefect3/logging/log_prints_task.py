"""log_prints=True turns print() inside a task into log records; the text no longer goes to stdout.

Exercises @task(log_prints=True) (docs: logging print statements)."""
import logging

from prefect import flow, task


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("hello"):
            self.seen.append((record.levelname, msg))


handler = Collect()
logging.getLogger().addHandler(handler)


@task(log_prints=True)
def chatty():
    print("hello from task")


@task
def plain():
    print("plain print goes to stdout")


@flow
def main():
    chatty()
    plain()


if __name__ == "__main__":
    main()
    print("captured", handler.seen)
