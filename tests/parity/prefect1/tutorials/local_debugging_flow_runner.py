"""Prefect 1 advanced tutorial "local debugging", running through a FlowRunner and choosing the
executor: FlowRunner(flow=...).run(return_tasks=...) and flow.run(executor=LocalExecutor()).

Exercises prefect.engine.flow_runner.FlowRunner, return_tasks, prefect.executors.LocalExecutor.
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.flow_runner import FlowRunner
from prefect.executors import LocalExecutor

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def numbers():
    return [1, 2, 3]


@task
def total(xs):
    return sum(xs)


with Flow("debug-me") as my_flow:
    t = total(numbers())

runner = FlowRunner(flow=my_flow)
flow_state = runner.run(return_tasks=my_flow.tasks)
print(type(flow_state).__name__, flow_state.result[t].result,
      sorted((task.name, type(s).__name__) for task, s in flow_state.result.items()))

state = my_flow.run(executor=LocalExecutor())  # <-- the executor needs to be initialized
print(type(state).__name__, state.result[t].result)
