"""cache_key_fn with task_input_hash, refresh_cache, and a cache_key_fn returning None
(no caching): which calls run and which states are Cached."""
from datetime import timedelta

from prefect import flow, task
from prefect.tasks import task_input_hash

calls = []


@task(cache_key_fn=task_input_hash, cache_expiration=timedelta(hours=1))
def fetch(x):
    calls.append(("fetch", x))
    return x + 100


@task(cache_key_fn=lambda ctx, params: None)
def never_cached(x):
    calls.append(("never", x))
    return x


@flow
def main():
    names = [fetch(1, return_state=True).name, fetch(1, return_state=True).name, fetch(2, return_state=True).name]
    names.append(fetch.with_options(refresh_cache=True)(1, return_state=True).name)
    names += [never_cached(1, return_state=True).name, never_cached(1, return_state=True).name]
    return names


print(main())
print(calls)
