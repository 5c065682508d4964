"""PrefectFutureList: .wait() waits for all, .result() returns values in order and raises on failure.

Exercises PrefectFutureList.wait/result (Prefect API: futures)."""
from prefect import flow, task
from prefect.futures import PrefectFutureList


@task
def maybe(i: int) -> int:
    if i < 0:
        raise ValueError(f"neg {i}")
    return i + 100


@flow
def run():
    good = maybe.map([1, 2, 3])
    good.wait()
    print([f.state.is_completed() for f in good])
    print(good.result())
    bad = maybe.map([1, -2])
    try:
        bad.result()
    except ValueError as exc:
        print("raised", exc)
    print(bad.result(raise_on_failure=False)[0])
    manual = PrefectFutureList([maybe.submit(7), maybe.submit(8)])
    print(manual.result())
    return "done"


print(run())
