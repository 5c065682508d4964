"""What a worker type implements: the seam between the worker's loop and what it starts.

The worker's core (`worker/runner.py`) claims runs, heartbeats, cancels and reports; it
does not know *what* a run is started as. A worker type does, in four steps:

1. **prepare** (`WorkerType.prepare`): from the claimed run and the pool's base job
   template with the run's job variables filled in (`core/job_templates.py`), make the
   type's job configuration, checking what the schema cannot (a working directory that
   does not exist). A `JobPreparationError` here fails the run with that message before
   anything is started.
2. **start** (`WorkerType.start`): start the job; return a `Job` handle.
3. **watch** (`Job.poll`): the exit status once the job has ended, else None.
4. **kill** (`Job.stop`, then `Job.kill_if_overdue`): ask it to stop (the worker says
   why: "cancel" or "shutdown"), and end it for good once the grace period is over.

Whatever a type starts must run `python -m headwater.worker.child` in the end (in a
process, a container, a pod) and hand it the payload `Job.payload` gives, on its stdin;
the child fetches the code (pull steps), loads the flow and records the run, so a type
never touches run history. `headwater.worker.types.process` is the first type; a Docker
or Kubernetes type is a new module with a `WorkerType` subclass, registered with
`register_worker_type`, and no change to the worker's core.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from headwater.exceptions import HeadwaterError

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import ClaimedRun

__all__ = ["Job", "JobPreparationError", "WorkerType", "child_payload"]


class JobPreparationError(HeadwaterError):
    """A run's job cannot be made from its job variables (the message says which and why)."""


class Job(Protocol):
    """A started job, as the worker's loop handles it."""

    run: ClaimedRun
    stop_reason: str | None

    @property
    def pid(self) -> int:
        """An identifier to show in the worker's log (a process id for the process type)."""

    def poll(self) -> int | None:
        """The exit status once the job has ended (negative: killed by that signal), else None."""

    def stop(self, reason: str, grace_seconds: float) -> None:
        """Ask the job to stop ("cancel" or "shutdown"); plan to kill it after `grace_seconds`."""

    def kill_if_overdue(self, now: float) -> bool:
        """Kill the job if its grace period (monotonic `now`) is over; whether it was killed now."""

    def close(self) -> None:
        """Release what the worker held for the job, after it ended."""


class WorkerType(ABC):
    """One kind of infrastructure a work pool's runs are started on.

    Attributes:
        type: the pool type it serves (`work-pool create --type NAME`).
    """

    type: ClassVar[str]

    @classmethod
    @abstractmethod
    def default_base_job_template(cls) -> dict[str, Any]:
        """The template a pool of this type gets when created without one."""

    @abstractmethod
    def prepare(self, run: ClaimedRun, configuration: dict[str, Any], *, env: dict[str, str]) -> Any:
        """Make the job configuration of one run.

        Args:
            run: the claimed run.
            configuration: the pool's `job_configuration` with the run's job variables
                filled in (`core.job_templates.render_job_configuration`).
            env: the worker's environment, which runs inherit.

        Raises:
            JobPreparationError: the configuration cannot be used (named).
        """

    @abstractmethod
    def start(self, run: ClaimedRun, job_configuration: Any) -> Job:
        """Start the prepared job.

        Raises:
            OSError: it could not be started (the worker reports the run Crashed).
        """


def child_payload(run: ClaimedRun) -> str:
    """The line `python -m headwater.worker.child` reads first on its stdin."""
    return json.dumps({"entrypoint": run.entrypoint, "parameters": run.parameters, "flow_run_name": run.flow_run_name,
                       "scheduled_time": run.scheduled_time, "run_count": run.run_count,
                       "pull_steps": run.pull_steps, "job_variables": run.job_variables,
                       "run_job_variables": run.run_job_variables, "deployment_id": run.deployment_id,
                       "deployment_name": run.deployment_name}) + "\n"
