"""Prefect 1 advanced tutorial "ETL flow": extract -> transform -> load built with the functional
API (`with Flow('ETL')`) and with the imperative API (set_dependencies with keyword_tasks);
both runs print the loaded data from the load task.

Exercises the functional and imperative flow APIs, plain print() inside a task (stdout).
"""
import logging
import sys

from prefect import task, Flow

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def extract():
    """Get a list of data"""
    return [1, 2, 3]


@task
def transform(data):
    """Multiply the input by 10"""
    return [i * 10 for i in data]


@task
def load(data):
    """Print the data to indicate it was received"""
    print("Here's your data: {}".format(data))


with Flow('ETL') as flow:
    e = extract()
    t = transform(e)
    l = load(t)

state = flow.run()  # prints "Here's your data: [10, 20, 30]"
print("functional:", type(state).__name__, state.result[t].result)

flow = Flow('ETL')
flow.set_dependencies(transform, keyword_tasks=dict(data=extract))
flow.set_dependencies(load, keyword_tasks=dict(data=transform))

state = flow.run()  # prints "Here's your data: [10, 20, 30]"
print("imperative:", type(state).__name__, state.result[transform].result)
