"""Local(stored_as_script=True, path=...) loads the flow from its source file; a path is required.

Exercises prefect.storage.Local stored_as_script (docs-v1: orchestration/flow_config/storage).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from pathlib import Path

from prefect import Flow
from prefect.storage import Local

Path("etl_flow.py").write_text(
    f"from {prefect.__name__} import Flow, task\n\n"
    "@task\n"
    "def double(x):\n"
    "    return 2 * x\n\n"
    "with Flow('etl') as flow:\n"
    "    double(21)\n"
)

storage = Local(path=str(Path("etl_flow.py").resolve()), stored_as_script=True, add_default_labels=False)
print(storage.add_flow(Flow("etl")).endswith("etl_flow.py"))
loaded = storage.get_flow("etl")
state = loaded.run()
print(loaded.name, state.is_successful(), [s.result for s in state.result.values()])
try:
    Local(stored_as_script=True).add_flow(Flow("x"))
except ValueError as exc:
    print("ValueError", exc)
