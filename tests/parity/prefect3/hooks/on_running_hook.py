"""on_running hooks fire when the run starts, before the body; for flows and tasks.

Exercises @flow(on_running=...) and @task(on_running=...)."""
from prefect import flow, task


def flow_running(fl, run, state):
    print("flow running hook", state.name)


def task_running(t, run, state):
    print("task running hook", state.name)


@task(on_running=[task_running])
def t():
    print("task body")


@flow(on_running=[flow_running])
def main():
    print("flow body")
    t()


if __name__ == "__main__":
    main()
