"""The `process` worker type: each run in a local subprocess.

Its job variables (the pool's template, `core/job_templates.py`):

- `env`: environment variables over the worker's (a null value removes one);
- `working_dir`: the directory the process starts in (it must exist);
- `command`: the command line started instead of `python -m headwater.worker.child`
  (it must end up running that module, which reads the run from its stdin);
- `stream_output`: false discards the process's output instead of showing it in the
  worker's;
- `labels`, `name`: kept with the run; a local process has nothing to label.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from headwater.worker.types.base import Job, JobPreparationError, WorkerType

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import ClaimedRun

__all__ = ["ProcessJobConfiguration", "ProcessWorkerType"]


@dataclass
class ProcessJobConfiguration:
    """How one run's process is started."""

    command: list[str]
    env: dict[str, str]
    working_dir: str | None = None
    stream_output: bool = True
    labels: dict[str, str] = field(default_factory=dict)


class ProcessWorkerType(WorkerType):
    """Runs each flow run in a subprocess of the worker (see the module docstring)."""

    type: ClassVar[str] = "process"

    @classmethod
    def default_base_job_template(cls) -> dict[str, Any]:
        """The process type's template (`headwater work-pool get-default-base-job-template --type process`)."""
        from headwater.core.job_templates import default_base_job_template

        return default_base_job_template("process")

    def prepare(self, run: ClaimedRun, configuration: dict[str, Any], *, env: dict[str, str]) -> ProcessJobConfiguration:
        """The run's command, environment and directory from its filled-in configuration.

        Raises:
            JobPreparationError: `working_dir` is not a directory, `env` or `command`
                are not usable.
        """
        merged = dict(env)
        given = configuration.get("env") or {}
        if not isinstance(given, dict):
            raise JobPreparationError(f"job variable env must be a mapping of names to strings, got {given!r}")
        for name, value in given.items():
            if value is None:
                merged.pop(str(name), None)
            else:
                merged[str(name)] = str(value)
        command_text = configuration.get("command")
        command = [sys.executable, "-m", "headwater.worker.child"]
        if command_text:
            try:
                command = shlex.split(str(command_text))
            except ValueError as exc:
                raise JobPreparationError(f"job variable command {command_text!r} cannot be split into words: "
                                          f"{exc}") from None
        working_dir = configuration.get("working_dir")
        if working_dir:
            path = Path(str(working_dir)).expanduser()
            if not path.is_dir():
                raise JobPreparationError(f"job variable working_dir {str(working_dir)!r} is not a directory on "
                                          "the worker's machine; create it or change the variable")
            working_dir = str(path)
        labels = configuration.get("labels") or {}
        return ProcessJobConfiguration(command=command, env=merged, working_dir=working_dir or None,
                                       stream_output=configuration.get("stream_output", True) is not False,
                                       labels=dict(labels) if isinstance(labels, dict) else {})

    def start(self, run: ClaimedRun, job_configuration: Any) -> Job:
        """Start the run's process (`worker/process.py`)."""
        from headwater.worker.process import FlowRunProcess

        job: ProcessJobConfiguration = job_configuration
        return FlowRunProcess(run, job.env, command=job.command, cwd=job.working_dir,
                              stream_output=job.stream_output)
