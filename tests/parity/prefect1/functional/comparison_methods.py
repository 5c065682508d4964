"""Task comparison methods (is_equal, is_not_equal, not_, or_, &, /, **) build tasks; == stays identity,
and a | b orders b after a. Exercises Task.is_equal/not_/or_/__and__/__or__ (docs-v1: api/latest/core/task).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def value():
    return 3


with Flow("compare") as flow:
    n = Parameter("n", default=3)
    v = value()
    eq = v.is_equal(n)
    ne = v.is_not_equal(n)
    neg = eq.not_()
    both = eq & True
    either = ne.or_(False)
    identity = v == n
    ratio = v / 2
    power = n ** 2
    v | ratio

print(identity)
print(v in flow.upstream_tasks(ratio), len(flow.edges_to(ratio)))
for given in (3, 4):
    state = flow.run(n=given)
    print(given, [state.result[t].result for t in (eq, ne, neg, both, either, ratio, power)])
