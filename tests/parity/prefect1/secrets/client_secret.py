"""prefect.client.Secret reads a local secret from context (PREFECT__CONTEXT__SECRETS__*), also
outside of a flow; an unknown secret raises. Exercises prefect.client.Secret (docs-v1: core/concepts/secrets).
"""
import logging
import os
import sys

os.environ["PREFECT__CONTEXT__SECRETS__GREETING"] = "hello"

import prefect
from prefect.client import Secret

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

print(Secret("GREETING").get())
with prefect.context(secrets={"OTHER": "from context"}):
    print(Secret("OTHER").get())
try:
    Secret("NOPE").get()
except ValueError as exc:
    print("ValueError", "NOPE" in str(exc))
