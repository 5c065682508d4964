"""Reading a variable and loading a block embedded: p50 / p99 over `--reads` calls.

    python bench/variables_blocks.py [--reads 1000]

A fresh interpreter over a fresh embedded home (SQLite, no server) sets one variable
(a small dict), then reads it `--reads` times with `Variable.get`, one call at a time
(the first call, which opens the database, is reported apart as `first_ms`). Also
`Variable.set(..., overwrite=True)` over `--reads // 10` calls. The issue's target:
reading <= 1 ms p50. Then blocks: `Secret.load` and the load of a block with a nested
block and two secrets (decrypted), `--reads` times each (the first saves, which
register the block types, are reported apart as `block_first_save_ms`). Target:
loading a block <= 1 ms p50. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit, machine, run_child

CHILD = """
import json, time
from headwater.variables import Variable

def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 4)
    return {"p50_ms": pick(0.50), "p99_ms": pick(0.99), "max_ms": round(ordered[-1] * 1000, 4)}

t0 = time.perf_counter()
Variable.set("bench_config", {"region": "eu-west-1", "sizes": [1, 2, 3], "enabled": True})
first = time.perf_counter() - t0
reads = []
for _ in range(READS):
    t0 = time.perf_counter()
    value = Variable.get("bench_config")
    reads.append(time.perf_counter() - t0)
assert value["region"] == "eu-west-1"
writes = []
for i in range(max(1, READS // 10)):
    t0 = time.perf_counter()
    Variable.set("bench_config", {"i": i}, overwrite=True)
    writes.append(time.perf_counter() - t0)
from pydantic import SecretStr
from headwater.blocks.core import Block
from headwater.blocks.system import Secret

class BenchEndpoint(Block):
    url: str
    token: SecretStr

class BenchWarehouse(Block):
    host: str
    password: SecretStr
    endpoint: BenchEndpoint

t0 = time.perf_counter()
BenchWarehouse(host="db", password="pw", endpoint=BenchEndpoint(url="http://x", token="t")).save("bench")
Secret(value="sk-123").save("bench")
block_first = time.perf_counter() - t0
loads, nested = [], []
for _ in range(READS):
    t0 = time.perf_counter()
    secret = Secret.load("bench")
    loads.append(time.perf_counter() - t0)
for _ in range(READS):
    t0 = time.perf_counter()
    warehouse = BenchWarehouse.load("bench")
    nested.append(time.perf_counter() - t0)
assert secret.get() == "sk-123" and warehouse.endpoint.token.get_secret_value() == "t"
print(json.dumps({"first_ms": round(first * 1000, 2), "get": percentiles(reads), "set_overwrite": percentiles(writes),
                  "block_first_save_ms": round(block_first * 1000, 2), "secret_load": percentiles(loads),
                  "nested_block_load": percentiles(nested)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=1000)
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "variables_blocks", "reads": args.reads, "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="headwater-variables-") as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        result["variables_embedded"] = run_child(CHILD.replace("READS", str(args.reads)), home, home / "run.log")
        result["wall_s"] = round(time.perf_counter() - started, 2)
    emit(result)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
