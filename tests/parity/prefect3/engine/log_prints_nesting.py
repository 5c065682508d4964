"""log_prints inheritance: a subflow and a task inside a log_prints flow log their prints;
a task with log_prints=True logs in a flow without it; log_prints=False opts out."""
import logging

from prefect import flow, get_run_logger, task

seen = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("p:"):
            seen.append(record.getMessage())


def attach():
    logger = get_run_logger().logger
    if not any(isinstance(h, Collect) for h in logger.handlers):
        logger.addHandler(Collect())


@task(log_prints=True)
def loud_task():
    attach()
    print("p: loud task")


@task
def plain_task():
    attach()
    print("p: plain task")


@task(log_prints=False)
def quiet_task():
    attach()
    print("p: quiet task")


@flow
def sub():
    attach()
    print("p: subflow")
    plain_task()


@flow(log_prints=True)
def printing():
    attach()
    print("p:", "joined", 1, sep="|")
    plain_task()
    quiet_task()
    sub()


@flow
def silent():
    attach()
    print("p: silent flow")
    loud_task()
    plain_task()


printing()
silent()
for m in seen:
    print("logged", m)
