"""A task and a flow that finish within their timeout_seconds complete normally.

Exercises timeout_seconds when the limit is not hit."""
from prefect import flow, task


@task(timeout_seconds=30)
def quick(x):
    return x + 1


@flow(timeout_seconds=60)
def main():
    return quick(1)


if __name__ == "__main__":
    s = main(return_state=True)
    print(s.name, s.result())
