"""Prefect 1 advanced tutorial "local debugging", inspecting and replacing a task: a flow built
with Flow(name, tasks=[...]) fails on an AssertionError; the failed state holds the exception,
then flow.get_tasks(name=...) and flow.replace() swap in the fixed task and the flow succeeds.

Exercises Flow(tasks=...), state.result[task].result (the exception), get_tasks, replace.
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def gotcha():
    tup = ('a', ['b'])
    try:
        tup[1] += ['c']
    except TypeError:
        assert len(tup[1]) == 1


flow = Flow(name="tuples", tasks=[gotcha])

state = flow.run()
print(type(state).__name__, state.message)

failed_state = state.result[gotcha]
print(type(failed_state).__name__, type(failed_state.result).__name__)
try:
    raise failed_state.result
except AssertionError as exc:
    print("re-raised:", type(exc).__name__, "context:", type(exc.__context__).__name__)


@task
def fixed():
    tup = ('a', ('b',))
    try:
        tup[1] += ('c',)
    except TypeError:
        assert len(tup[1]) == 1


broken = flow.get_tasks(name="gotcha")[0]
flow.replace(broken, fixed)

state = flow.run()  # Success("All reference tasks succeeded.")
print(type(state).__name__, state.message, [t.name for t in flow.tasks])
