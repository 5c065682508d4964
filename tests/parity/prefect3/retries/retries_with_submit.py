"""Retries apply to submitted tasks as well; the future resolves to the final result.

Exercises Task.submit with retries (Prefect docs: tasks, "Retries")."""
from prefect import flow, task

attempts = {}


@task(retries=2)
def per_key(key: str, fail_times: int):
    attempts[key] = attempts.get(key, 0) + 1
    if attempts[key] <= fail_times:
        raise RuntimeError(key)
    return f"{key}:{attempts[key]}"


@flow
def run():
    futures = [per_key.submit(k, n) for k, n in (("a", 0), ("b", 1), ("c", 2))]
    results = [f.result() for f in futures]
    failing = per_key.submit("d", 3)
    failing.wait()
    print(failing.state.type.value)
    return results


print(run())
print(sorted(attempts.items()))
