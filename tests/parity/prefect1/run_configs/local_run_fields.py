"""LocalRun and UniversalRun keep env, working_dir and labels; serialize() gives them as data.

Exercises prefect.run_configs (docs-v1: orchestration/flow_config/run_configs).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect.run_configs import LocalRun, RunConfig, UniversalRun

local = LocalRun(env={"STAGE": "prod"}, working_dir="work", labels=["etl", "nightly"])
print(local.env, local.working_dir.endswith("/work"), sorted(local.labels))
data = local.serialize()
print(data["type"], data["env"], data["labels"], data["working_dir"].endswith("/work"))
universal = UniversalRun(env={"A": "1"}, labels=["x"])
print(universal.serialize()["type"], universal.env, sorted(universal.labels))
print(UniversalRun().env, UniversalRun().labels)
print(isinstance(local, RunConfig), isinstance(universal, RunConfig))
print(LocalRun() == LocalRun(), LocalRun(env={"A": "1"}) == LocalRun())
try:
    LocalRun({"A": "1"})
except TypeError:
    print("TypeError")
