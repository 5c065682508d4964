"""PrefectSecret reads local secrets from PREFECT__CONTEXT__SECRETS__<NAME>, set before import.

Exercises prefect.tasks.secrets.PrefectSecret and prefect.client.Secret (docs-v1: core/concepts/secrets).
"""
import logging
import os
import sys

os.environ["PREFECT__CONTEXT__SECRETS__API_KEY"] = "abc123"
os.environ["PREFECT__CONTEXT__SECRETS__DB"] = '{"user": "ann", "port": 5432}'

from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def show(value):
    return repr(value)


@task
def connect(key, db):
    return f"key={key} user={db['user']} port={db['port']}"


with Flow("secrets") as flow:
    key = PrefectSecret("API_KEY")
    db = PrefectSecret("DB")
    c = connect(key, db)
    absent = show(PrefectSecret("ABSENT"))

state = flow.run()
print(state.result[c].result)
print(type(state.result[absent]).__name__, type(state).__name__)
