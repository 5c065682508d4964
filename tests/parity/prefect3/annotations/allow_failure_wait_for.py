"""allow_failure() in wait_for lets a downstream task run after an upstream failure.

Exercises prefect.allow_failure (docs: task dependencies)."""
from prefect import allow_failure, flow, task


@task
def fails():
    raise ValueError("upstream problem")


@task
def cleanup():
    return "cleanup ran"


@flow
def main():
    f = fails.submit()
    c = cleanup.submit(wait_for=[allow_failure(f)])
    f.wait()
    print("upstream", f.state.name)
    print("cleanup", c.result())
    return "flow done"


if __name__ == "__main__":
    state = main(return_state=True)
    print(state.type.value)
