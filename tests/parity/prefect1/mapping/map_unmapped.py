"""unmapped() keeps an argument fixed while the others are mapped; two iterables map pairwise.

Exercises prefect.unmapped and multi-argument mapping (docs-v1: core/concepts/mapping#unmapped-inputs).
"""
import logging
import sys

from prefect import Flow, Parameter, task, unmapped

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def combine(x, y, sep):
    return f"{x}{sep}{y}"


with Flow("unmapped") as flow:
    sep = Parameter("sep", default="-")
    out = combine.map(["a", "b", "c"], [1, 2, 3], unmapped(sep))
    fixed = combine.map(x=["p", "q"], y=unmapped("z"), sep=unmapped(":"))

state = flow.run()
print(state.result[out].result)
print(state.result[fixed].result)
print(flow.run(sep="+").result[out].result)
