"""Handlers on 'prefect.task_runs', on 'prefect' (with a level) and on root receive run records under
Prefect's logger names; log_prints logs what print() would write, trailing whitespace removed;
a 'prefect' logger that does not propagate keeps them from root.

Exercises Python logging handlers attached to Prefect's run loggers, and @flow(log_prints=True)."""
import logging

from prefect import flow, get_run_logger, task


class Collect(logging.Handler):
    def __init__(self, level=logging.NOTSET):
        super().__init__(level)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("p:"):
            self.seen.append((record.name, record.levelname, msg))


task_runs = Collect()
logging.getLogger("prefect.task_runs").addHandler(task_runs)
warnings = Collect(logging.WARNING)
logging.getLogger("prefect").addHandler(warnings)
root = Collect()
logging.getLogger().addHandler(root)


@task(log_prints=True)
def step(x):
    get_run_logger().warning("p: task warning %s", x)
    print("p: task print")
    return x


@flow(log_prints=True)
def pipeline():
    log = get_run_logger()
    log.debug("p: flow debug")
    log.info("p: flow info")
    print("p: two lines\n")
    print("p:", "a", "b", sep="-", end="!\n")
    print("p: no end", end="")
    return step(1)


if __name__ == "__main__":
    pipeline()
    print("task_runs:", task_runs.seen)
    print("prefect >= WARNING:", warnings.seen)
    for item in root.seen:
        print("root:", item)
    logging.getLogger("prefect").propagate = False
    root.seen.clear()
    pipeline()
    print("root after propagate=False:", root.seen)
    print("prefect >= WARNING again:", len(warnings.seen))
