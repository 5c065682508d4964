"""Module storage finds a flow by name in an importable module.

Exercises prefect.storage.Module (docs-v1: orchestration/flow_config/storage).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

import sys
from pathlib import Path

from prefect import Flow
from prefect.storage import Module

sys.path.insert(0, str(Path.cwd()))
Path("my_flows.py").write_text(
    f"from {prefect.__name__} import Flow, task\n\n"
    "@task\n"
    "def hello():\n"
    "    return 'hello'\n\n"
    "with Flow('greeting') as greeting_flow:\n"
    "    hello()\n"
)

storage = Module("my_flows")
print(storage.module, storage.flows)
print(storage.add_flow(Flow("greeting")), storage.flows, "greeting" in storage)
loaded = storage.get_flow("greeting")
print(loaded.name, [s.result for s in loaded.run().result.values()])
try:
    storage.add_flow(Flow("greeting"))
except ValueError as exc:
    print("ValueError", exc)
