"""A generator task streams: its body runs inside the task run as the caller iterates
(runtime.task_run is that run), and an exception inside it reaches the caller."""
from prefect import flow, task
from prefect.runtime import task_run


@task
def stream(n):
    for i in range(n):
        yield f"{task_run.task_name}-{i}"


@task
def broken_stream():
    yield 1
    raise ValueError("stream broke")


@flow
def main():
    print(list(stream(3)))
    got = []
    try:
        for x in broken_stream():
            got.append(x)
    except ValueError as exc:
        print("caught", exc, got)
    return "ok"


print(main())
