"""resolve_futures_to_results / resolve_futures_to_states walk nested collections of futures.

Exercises prefect.futures.resolve_futures_to_results and resolve_futures_to_states (Prefect API: futures)."""
from prefect import flow, task
from prefect.futures import resolve_futures_to_results, resolve_futures_to_states


@task
def num(x: int) -> int:
    return x * 2


@flow
def run():
    nested = {"a": num.submit(1), "b": [num.submit(2), (num.submit(3), "plain")]}
    print(resolve_futures_to_results(nested))
    states = resolve_futures_to_states([num.submit(4), 5])
    print([s.type.value if hasattr(s, "type") else s for s in states])


run()
