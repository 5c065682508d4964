"""Prefect 1's run configurations (`prefect.run_configs`): how a registered flow's runs are started.

    flow.run_config = LocalRun(env={"STAGE": "prod"}, working_dir="/srv/etl", labels=["etl"])
    flow.register(project_name="etl")

A worker (`headwater agent local start`) runs a registered static flow in a process of
its own; there the flow's `LocalRun` / `UniversalRun` takes effect: `env` is added to
the environment and the process moves to `working_dir` before the flow's tasks run.
`labels` become the deployment runs' tags, as `flow.register(labels=...)` does.
`flow.run()` ignores the run config, as Prefect 1 does. Run configs for Docker,
Kubernetes, ECS and Vertex are not here: headwater's worker starts local processes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["LocalRun", "RunConfig", "UniversalRun"]


class RunConfig:
    """Base class: environment variables and labels for the runs of a registered flow.

    Args:
        env: environment variables for the run's process (names and values as strings).
        labels: labels (tags) for the runs.

    Raises:
        TypeError: `env` is not a mapping of strings to strings, or a label is not a string.
    """

    def __init__(self, env: Mapping[str, str] | None = None, labels: Iterable[str] | None = None) -> None:
        if env is not None:
            if not isinstance(env, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                       for k, v in env.items()):
                raise TypeError(f"{type(self).__name__}(env=...) takes a dict of str to str, got {env!r}")
            env = dict(env)
        self.env: dict[str, str] | None = env
        label_set = set(labels) if labels else set()
        if not all(isinstance(label, str) for label in label_set):
            raise TypeError(f"{type(self).__name__}(labels=...) takes strings, got {sorted(map(repr, label_set))}")
        self.labels: set[str] = label_set

    def serialize(self) -> dict[str, Any]:
        """The run config as data: its fields and `type`, as Prefect 1 serializes it."""
        data: dict[str, Any] = {"env": self.env, "labels": sorted(self.labels)}
        data.update(self._fields())
        data["type"] = type(self).__name__
        return data

    def _fields(self) -> dict[str, Any]:
        return {}

    def apply(self) -> None:
        """Put this run config in effect in the current process: `env` added to `os.environ`."""
        os.environ.update(self.env or {})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RunConfig):
            return NotImplemented
        return self.serialize() == other.serialize()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.serialize().items() if k != "type" and v)
        return f"{type(self).__name__}({fields})"


class UniversalRun(RunConfig):
    """A run config any agent accepts: only environment variables and labels."""


class LocalRun(RunConfig):
    """A run in a local process (what every headwater worker starts).

    Args:
        env: environment variables for the run's process.
        working_dir: the directory the run's process works in (made absolute here).
        labels: labels (tags) for the runs.

    Raises:
        TypeError: a bad `env`, `labels` or `working_dir`.
    """

    def __init__(self, *, env: Mapping[str, str] | None = None, working_dir: str | None = None,
                 labels: Iterable[str] | None = None) -> None:
        super().__init__(env=env, labels=labels)
        if working_dir is not None and not isinstance(working_dir, (str, os.PathLike)):
            raise TypeError(f"LocalRun(working_dir=...) takes a path, got {working_dir!r}")
        # Made absolute where it is set, as Prefect 1 does, so the worker's directory does not matter.
        self.working_dir = None if working_dir is None else os.path.abspath(working_dir)

    def _fields(self) -> dict[str, Any]:
        return {"working_dir": self.working_dir} if self.working_dir is not None else {}

    def apply(self) -> None:
        """Add `env` to `os.environ` and move to `working_dir`.

        Raises:
            FileNotFoundError: `working_dir` does not exist, naming it.
        """
        super().apply()
        if self.working_dir is not None:
            path = self.working_dir
            if not os.path.isdir(path):
                raise FileNotFoundError(f"LocalRun(working_dir={self.working_dir!r}): no such directory on this "
                                        "machine; create it or change the flow's run_config")
            os.chdir(path)
