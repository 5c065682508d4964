"""ConstantResult holds a value that reads back as itself and cannot be written.

Exercises prefect.engine.results.ConstantResult (docs-v1: api/latest/engine/results).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect.engine.results import ConstantResult, SecretResult
from prefect.tasks.secrets import PrefectSecret

result = ConstantResult(value=42)
print(result.value, result.read("anything") is result, result.exists("anywhere"))
try:
    result.write(1)
except ValueError as exc:
    print("ValueError", exc)
try:
    ConstantResult(value=1, serializer=object())
except ValueError as exc:
    print("ValueError", exc)

with prefect.context(secrets={"TOKEN": "s3cr3t"}):
    secret = SecretResult(PrefectSecret("TOKEN"))
    print(secret.location, secret.read("TOKEN").value)
try:
    secret.write("x")
except ValueError as exc:
    print("ValueError", exc)
