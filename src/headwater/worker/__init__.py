"""Workers: poll for due flow runs of a work pool (or of served deployments) and run
each in its own process. See worker/runner.py for the loop, worker/child.py for the
run's process, worker/backend.py for how they reach the server or the database."""

from __future__ import annotations

from headwater.worker.backend import ApiBackend, StoreBackend, WorkerBackend, open_backend
from headwater.worker.runner import Worker

__all__ = ["ApiBackend", "StoreBackend", "Worker", "WorkerBackend", "open_backend"]
