"""Prefect's `prefect.runner`: here, where deployments' code comes from (`storage`).

Prefect's `Runner` class (the process behind `flow.serve()`) is headwater's worker in
its `serve` form (`headwater.engine.deployments.serve`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["storage"]


def __getattr__(name: str) -> Any:
    if name == "storage":
        import importlib

        return importlib.import_module("headwater.runner.storage")
    raise AttributeError(f"module 'headwater.runner' has no attribute {name!r}")
