"""Local storage pickles a flow on add_flow and loads it back by name; names must be unique.

Exercises prefect.storage.Local (docs-v1: orchestration/flow_config/storage).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

import os

from prefect import Flow, task
from prefect.storage import Local, Storage


@task
def add(x, y):
    return x + y


with Flow("stored") as flow:
    total = add(1, 2)

storage = Local(directory="flows", add_default_labels=False)
print(isinstance(storage, Storage), storage.directory == os.path.abspath("flows"), storage.labels)
location = storage.add_flow(flow)
print(location.startswith(os.path.abspath("flows")), os.path.isfile(location))
print("stored" in storage, "other" in storage, list(storage.flows))
print(storage.build() is storage)
loaded = storage.get_flow("stored")
print(loaded.name, loaded is flow)
state = loaded.run()
print(state.is_successful(), sorted(t.name for t in loaded.tasks))
try:
    storage.add_flow(flow)
except ValueError as exc:
    print("ValueError", exc)
try:
    storage.get_flow("other")
except ValueError as exc:
    print("ValueError", exc)
