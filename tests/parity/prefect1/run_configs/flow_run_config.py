"""A flow carries its run config (Flow(run_config=...) or flow.run_config = ...); flow.run() ignores it.

Exercises Flow(run_config=) (docs-v1: orchestration/flow_config/run_configs).
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
from prefect.run_configs import LocalRun, UniversalRun


@task
def read_stage():
    return os.environ.get("STAGE_FOR_TEST", "unset")


with Flow("configured", run_config=UniversalRun(labels=["a"])) as flow:
    stage = read_stage()

print(type(flow.run_config).__name__, sorted(flow.run_config.labels))
flow.run_config = LocalRun(env={"STAGE_FOR_TEST": "prod"})
print(type(flow.run_config).__name__, flow.run_config.env)
state = flow.run()
print(state.is_successful(), state.result[stage].result)
