"""Without allow_failure, a task waiting on a failed upstream does not run and ends NotReady (Pending).

Exercises wait_for on a failed future, compared with allow_failure_wait_for."""
from prefect import flow, task

ran = []


@task
def fails():
    raise ValueError("no")


@task
def downstream():
    ran.append(True)


@flow
def main():
    f = fails.submit()
    d = downstream.submit(wait_for=[f])
    d.wait()
    print("downstream", d.state.type.value, d.state.name)
    print("ran", ran)
    return "ok"


if __name__ == "__main__":
    main()
