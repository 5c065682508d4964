"""Futures: wait(), state after waiting, prefect.futures.wait's done set, as_completed over
mapped futures, and a future's result with raise_on_failure=False."""
from prefect import flow, task
from prefect.futures import as_completed, wait


@task
def work(x):
    if x == 3:
        raise ValueError("three")
    return x * 10


@flow
def main():
    futures = work.map([1, 2, 3])
    done, not_done = wait(futures)
    print(len(done), len(not_done))
    print(sorted(f.state.type.value for f in futures))
    results = sorted(f.result(raise_on_failure=False) if f.state.is_completed() else -1 for f in as_completed(futures))
    print(results)
    bad = futures[2]
    err = bad.result(raise_on_failure=False)
    print(type(err).__name__, err)
    one = work.submit(5)
    one.wait()
    print(one.state.name, one.result())
    return "ok"


print(main())
