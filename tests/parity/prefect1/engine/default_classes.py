"""get_default_executor_class() and get_default_flow_runner_class() name LocalExecutor and FlowRunner.

Exercises prefect.engine.get_default_executor_class (docs-v1: core/concepts/engine).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect import Flow, task
from prefect.engine import get_default_executor_class, get_default_flow_runner_class
from prefect.engine.flow_runner import FlowRunner, FlowRunnerInitializeResult
from prefect.executors import LocalExecutor

print(get_default_executor_class() is LocalExecutor, get_default_executor_class().__name__)
print(get_default_flow_runner_class() is FlowRunner, get_default_flow_runner_class().__name__)
print(prefect.engine.flow_runner.FlowRunner is FlowRunner, prefect.engine.results.LocalResult.__name__)
print(FlowRunnerInitializeResult._fields)


@task
def one():
    return 1


with Flow("runner") as flow:
    value = one()

runner_class = get_default_flow_runner_class()
state = runner_class(flow=flow).run(executor=get_default_executor_class()(), return_tasks=[value])
print(state.is_successful(), state.result[value].result)
