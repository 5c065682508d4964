"""allow_failure, quote and opaque around task arguments on the ProcessPoolTaskRunner:
the task, running in a worker process, receives what it would on the thread pool.

Exercises prefect.task_runners.ProcessPoolTaskRunner with prefect.utilities.annotations."""
from prefect import allow_failure, flow, task
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.utilities.annotations import opaque, quote


@task
def broken():
    raise KeyError("k")


@task
def one():
    return 1


@task
def describe(value):
    if isinstance(value, BaseException):
        return f"exception {type(value).__name__} {value}"
    if isinstance(value, list):
        return [type(v).__name__ if isinstance(v, BaseException) else v for v in value]
    return value


@flow(task_runner=ProcessPoolTaskRunner(max_workers=2))
def main():
    failed = broken.submit()
    done = one.submit()
    print("allow_failure(failed):", describe.submit(allow_failure(failed)).result())
    print("allow_failure(completed):", describe.submit(allow_failure(done)).result())
    print("list holding allow_failure:", describe.submit([allow_failure(failed), done]).result())
    print("allow_failure around a list:", describe.submit(allow_failure([failed, done])).result())
    print("opaque(completed):", describe.submit(opaque(done)).result())
    print("quote(dict):", describe.submit(quote({"a": [1, 2]})).result())
    print("[quote(3)]:", describe.submit([quote(3)]).result())
    return "done"


if __name__ == "__main__":
    print(main())
