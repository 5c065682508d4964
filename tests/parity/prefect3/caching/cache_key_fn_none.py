"""A cache_key_fn returning None disables caching for that call only.

Exercises the None return of a cache key function."""
from prefect import flow, task


def key(context, parameters):
    return None if parameters["skip"] else "fixed-key"


@task(cache_key_fn=key)
def val(skip: bool) -> str:
    return "v"


@flow
def main():
    print([val(False, return_state=True).name for _ in range(2)])
    print([val(True, return_state=True).name for _ in range(2)])


if __name__ == "__main__":
    main()
