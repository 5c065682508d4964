"""prefect.futures class names: what .submit() and .map() return is a PrefectFuture /
PrefectFutureList, usable in isinstance checks and annotations. (Prefect 3 API: prefect.futures.)"""
from prefect import flow, task
from prefect.futures import PrefectFuture, PrefectFutureList, wait


@task
def square(x: int) -> int:
    return x * x


@flow
def pipeline() -> list:
    one: PrefectFuture = square.submit(3)
    many: PrefectFutureList = square.map([1, 2, 3])
    print("submit gives a PrefectFuture:", isinstance(one, PrefectFuture))
    print("map gives a PrefectFutureList:", isinstance(many, PrefectFutureList))
    print("its items are PrefectFutures:", all(isinstance(f, PrefectFuture) for f in many))
    done, not_done = wait([one, *many])
    print("waited:", len(done), len(not_done))
    return [one.result(), *many.result()]


print(pipeline())
