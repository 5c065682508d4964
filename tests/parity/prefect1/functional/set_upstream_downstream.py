"""set_upstream and set_downstream with flow= build dependencies outside the functional style.

Exercises Task.set_upstream/set_downstream(flow=) and Flow.add_task (docs-v1: core/concepts/flows#imperative-api).
"""
import logging
import sys

from prefect import Flow, Task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []


class Record(Task):
    def run(self):
        events.append(self.name)
        return self.name


a = Record(name="a")
b = Record(name="b")
c = Record(name="c")

flow = Flow("imperative")
b.set_upstream(a, flow=flow)
b.set_downstream(c, flow=flow)
print(len(flow.tasks), len(flow.edges))
state = flow.run()
print(events)
print(state.result[c].result, type(state).__name__)
