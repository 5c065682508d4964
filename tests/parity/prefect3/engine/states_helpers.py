"""prefect.states helpers: get_state_exception, raise_state_exception, is_state_iterable,
StateGroup counts, the extra named constructors, and prefect.futures' aliases and resolvers."""
from prefect import flow, task
from prefect.futures import PrefectFuture, PrefectFutureList, resolve_futures_to_results, resolve_futures_to_states
from prefect.states import (
    Completed,
    Failed,
    InfrastructurePending,
    StateGroup,
    Submitting,
    Suspended,
    get_state_exception,
    is_state_iterable,
    raise_state_exception,
)

f = Failed(data=ValueError("inner"))
print(type(get_state_exception(f)).__name__, get_state_exception(f))
try:
    get_state_exception(Completed())
except ValueError:
    print("ValueError for completed")
try:
    raise_state_exception(f)
except ValueError as exc:
    print("raised", exc)
print(raise_state_exception(Completed()))
print(is_state_iterable([Completed(), f]), is_state_iterable([]), is_state_iterable([1]), is_state_iterable((Completed(),)))
g = StateGroup([Completed(), f, Completed()])
print(g.total_count, g.fail_count, g.all_completed(), g.any_failed(), g.all_final())
for s in (Suspended(), Submitting(), InfrastructurePending()):
    print(s.name, s.type.value)


@task
def inc(x):
    return x + 1


@flow
def main():
    futures = inc.map([1, 2])
    print(isinstance(futures, PrefectFutureList), all(isinstance(x, PrefectFuture) for x in futures))
    print(resolve_futures_to_results({"a": futures[0], "b": [futures[1]]}))
    states = resolve_futures_to_states([futures[0]])
    print([s.type.value for s in states])


main()
