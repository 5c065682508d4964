"""Prefect 1 advanced tutorial "using results": LocalResult on the flow (a directory in the
current dir) and PrefectResult on a task; the run's task states carry Result objects whose
value is the task's return and, for PrefectResult, whose location is the serialized value.

Exercises prefect.engine.results.LocalResult(dir=), PrefectResult, state._result.value/location,
checkpointing being on for flow.run (PREFECT__FLOWS__CHECKPOINTING is off by default).
"""
import logging
import os
import sys

from prefect import task, Flow, Task
from prefect.engine.results import LocalResult, PrefectResult

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(result=PrefectResult())
def add(x, y=1):
    return x + y


class AddTask(Task):
    def run(self, x, y):
        return x + y


a = AddTask(result=LocalResult(dir="results"))

with Flow("my handled flow!", result=LocalResult(dir="results")) as flow:
    first_result = add(1, y=2)
    second_result = add(x=first_result, y=100)
    third_result = a(second_result, 1000)

state = flow.run()
print(type(state).__name__)
print(state.result[first_result]._result.value, state.result[second_result]._result.value,
      state.result[third_result]._result.value)
print(type(state.result[first_result]._result).__name__, type(state.result[third_result]._result).__name__)
print("location of a PrefectResult:", repr(state.result[first_result]._result.location))
print("results dir exists:", os.path.isdir("results"))

r = PrefectResult()
written = r.write(42)
print("PrefectResult write:", repr(written.location), r.read(written.location).value)
local = LocalResult(dir="results", location="answer.txt")
written = local.write({"answer": 42})
print("LocalResult write:", written.location.endswith("answer.txt"), local.read("answer.txt").value)
print("exists:", local.exists("answer.txt"), local.exists("missing.txt"))
