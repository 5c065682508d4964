"""Flows accept on_cancellation and on_crashed hook lists; the hooks are stored on the flow object.

Exercises Flow.on_cancellation_hooks / on_crashed_hooks attributes and with_options."""
from prefect import flow


def c1(fl, run, state):
    pass


def c2(fl, run, state):
    pass


@flow(on_cancellation=[c1], on_crashed=[c2])
def f():
    return "ran"


if __name__ == "__main__":
    print([h.__name__ for h in f.on_cancellation_hooks])
    print([h.__name__ for h in f.on_crashed_hooks])
    g = f.with_options(on_cancellation=[c2, c1])
    print([h.__name__ for h in g.on_cancellation_hooks])
    print(f())
