"""Task.map edge cases: an empty iterable, a string argument (not mapped over), tuples,
unmapped lists, iterables of different lengths and no iterable at all."""
from prefect import flow, task, unmapped


@task
def combine(a, b, sep="-"):
    return f"{a}{sep}{b}"


@flow
def main():
    print(combine.map([], []).result())
    print(combine.map((1, 2), "xy").result())
    print(combine.map([1, 2], unmapped([0, 0])).result())
    print(combine.map([1, 2], b=[3, 4], sep=unmapped("+")).result())
    for args in (([1, 2], [1]), ("ab", "cd")):
        try:
            combine.map(*args)
        except Exception as exc:
            print(type(exc).__name__)
    return "done"


print(main())
