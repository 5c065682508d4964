"""A custom cache_key_fn decides the key; inputs mapping to the same key share one cached result.

Exercises @task(cache_key_fn=...) with the (context, parameters) signature."""
from prefect import flow, task


def by_parity(context, parameters):
    return f"parity-{parameters['n'] % 2}"


@task(cache_key_fn=by_parity)
def label(n: int) -> str:
    return f"computed for {n}"


@flow
def main():
    for n in (2, 4, 3, 5, 6):
        s = label(n, return_state=True)
        print(n, s.name, s.result())


if __name__ == "__main__":
    main()
