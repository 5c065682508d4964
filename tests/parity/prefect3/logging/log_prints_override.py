"""A task with log_prints=False inside a log_prints flow prints normally to stdout.

Exercises per-task override of the flow's log_prints setting."""
import logging

from prefect import flow, task


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("m:"):
            self.seen.append(msg)


handler = Collect()
logging.getLogger().addHandler(handler)


@task(log_prints=False)
def loud():
    print("m: loud task prints to stdout")


@task
def quiet():
    print("m: quiet task is logged")


@flow(log_prints=True)
def main():
    loud()
    quiet()


if __name__ == "__main__":
    main()
    print("captured", handler.seen)
