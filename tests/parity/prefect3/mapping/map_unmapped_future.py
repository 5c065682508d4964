"""unmapped() around a future passes its resolved value to every mapped run.

Exercises unmapped(PrefectFuture) with Task.map (Prefect API: utilities.annotations.unmapped)."""
from prefect import flow, task
from prefect.utilities.annotations import unmapped


@task
def config() -> dict:
    return {"offset": 5}


@task
def apply(x: int, cfg: dict) -> int:
    return x + cfg["offset"]


@flow
def run():
    cfg = config.submit()
    return apply.map([1, 2, 3], unmapped(cfg)).result()


print(run())
