"""The Result interface on its own: write, exists, read with a templated location.

Exercises LocalResult.write/exists/read and location templates (docs-v1: core/concepts/results#result-locations).
"""
import logging
import os
import sys

from prefect.engine.results import LocalResult, PrefectResult

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

result = LocalResult(dir="store", location="{name}-{n}.txt")
written = result.write({"rows": [1, 2]}, name="batch", n=3)
print(os.path.relpath(written.location), type(written).__name__)
print(result.exists("batch-3.txt"), result.exists("batch-4.txt"))
print(result.read("batch-3.txt").value)
print(sorted(os.listdir("store")))

pr = PrefectResult()
stored = pr.write([1, "two", 3.0])
print(stored.location)
print(pr.read(stored.location).value)
