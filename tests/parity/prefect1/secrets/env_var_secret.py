"""EnvVarSecret reads an environment variable when the flow runs; cast= converts it.

Exercises prefect.tasks.secrets.EnvVarSecret (docs-v1: core/concepts/secrets).
"""
import logging
import os
import sys

from prefect import Flow, task
from prefect.tasks.secrets import EnvVarSecret

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

os.environ["MY_TOKEN"] = "s3cr3t"
os.environ["MY_PORT"] = "8080"


@task
def show(value):
    return repr(value)


@task
def use(token, port):
    return f"{token[:2]}*** {port + 1}"


with Flow("env-secret") as flow:
    token = EnvVarSecret("MY_TOKEN")
    port = EnvVarSecret("MY_PORT", cast=int)
    out = use(token, port)
    missing = show(EnvVarSecret("NOT_SET_ANYWHERE"))

state = flow.run()
print(state.result[out].result, state.result[missing].result)
print(type(state).__name__)
