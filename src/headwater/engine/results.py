"""Prefect 1's result objects (`prefect.engine.results`): where a task's return value is kept.

    @task(checkpoint=True, result=LocalResult(dir="out", location="{task_name}.prefect"))

A `Result` holds a value and, once written, its `location`. `LocalResult` pickles to
a file under `dir`; `PrefectResult` keeps the value as JSON in the location string
itself; `ConstantResult` is a value that is never written anywhere, and
`SecretResult` reads a secret again through its secret task each time. A static flow run writes a task's value through its result when
checkpointing is on (`PREFECT__FLOWS__CHECKPOINTING=true`, as in Prefect 1), and a
task with a `target=` is not run again while its target exists.

(headwater's own result storage for `@flow` runs is `headwater.results`, a different thing.)
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import uuid
from collections.abc import Callable
from typing import Any

__all__ = ["ConstantResult", "LocalResult", "NoResult", "PrefectResult", "Result", "ResultNotImplementedError",
           "SecretResult"]


class ResultNotImplementedError(NotImplementedError):
    """This kind of result cannot read or write."""


class Result:
    """A value, and where it was written (`location`, a string template until written).

    Args:
        value: the value.
        location: where to write it; may hold `{placeholders}` filled from the run's
            context, parameters and inputs, or be a callable returning the location.
    """

    def __init__(self, value: Any = None, location: str | Callable[..., str] | None = None) -> None:
        self.value = value
        self._formatter: Callable[..., str] | None = None
        if callable(location):
            self._formatter, location = location, None
        self.location: str | None = location

    def copy(self) -> Result:
        """A shallow copy."""
        return copy.copy(self)

    def from_value(self, value: Any) -> Result:
        """A copy holding `value`, not yet written anywhere."""
        new = self.copy()
        new.location = None
        new.value = value
        return new

    @property
    def default_location(self) -> str:
        from headwater.core.clock import now_datetime

        day = now_datetime()
        return f"{day.year}/{day.month}/{day.day}/{uuid.uuid4()}.prefect_result"

    def format(self, **kwargs: Any) -> Result:
        """A copy whose location is rendered from `kwargs` (or the default location)."""
        new = self.copy()
        if isinstance(new.location, str):
            new.location = new.location.format(**kwargs)
        elif new._formatter is not None:
            new.location = new._formatter(**kwargs)
        else:
            new.location = new.default_location
        return new

    def exists(self, location: str, **kwargs: Any) -> bool:
        raise ResultNotImplementedError("this Result type cannot check locations")

    def read(self, location: str) -> Result:
        raise ResultNotImplementedError("this Result type cannot read")

    def write(self, value_: Any, **kwargs: Any) -> Result:
        raise ResultNotImplementedError("this Result type cannot write")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.value!r}>"


class _NoResult(Result):
    """The result of a state that has none."""

    def __repr__(self) -> str:
        return "<No result>"


NoResult = _NoResult()


class LocalResult(Result):
    """A value pickled to a file under `dir` (created if missing).

    Args:
        dir: the directory (default: `results` under the working directory).
        validate_dir: create the directory now.
        location: the file name (template) under `dir`.
    """

    def __init__(self, dir: str | None = None, validate_dir: bool = True, **kwargs: Any) -> None:
        directory = dir if dir is not None else "results"
        if validate_dir:
            directory = os.path.abspath(os.path.expanduser(directory))
            os.makedirs(directory, exist_ok=True)
        self.dir = directory
        super().__init__(**kwargs)

    def read(self, location: str) -> Result:
        new = self.copy()
        new.location = location
        with open(os.path.join(self.dir, location), "rb") as file:
            new.value = pickle.loads(file.read())
        return new

    def write(self, value_: Any, **kwargs: Any) -> Result:
        new = self.format(**kwargs)
        new.value = value_
        assert new.location is not None
        path = os.path.join(self.dir, new.location)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(pickle.dumps(value_))
        new.location = path
        return new

    def exists(self, location: str, **kwargs: Any) -> bool:
        return os.path.exists(os.path.join(self.dir, location.format(**kwargs)))


class PrefectResult(Result):
    """A value kept as JSON in the location string itself (small, JSON-able values)."""

    def read(self, location: str) -> Result:
        new = self.copy()
        new.value = json.loads(location)
        new.location = location
        return new

    def write(self, value_: Any, **kwargs: Any) -> Result:
        new = self.copy()
        new.value = value_
        new.location = json.dumps(value_)
        return new

    def exists(self, location: str, **kwargs: Any) -> bool:
        return True


class ConstantResult(Result):
    """A value that lives only in this object: reading gives it back, writing is refused.

    Raises:
        ValueError: given a `serializer=` (there is nothing to serialize).
    """

    def __init__(self, **kwargs: Any) -> None:
        if "serializer" in kwargs:
            raise ValueError("Can't pass a serializer to a ConstantResult.")
        super().__init__(**kwargs)

    def read(self, location: str) -> Result:
        """This result itself, whatever `location` is."""
        return self

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Always raises ValueError: a constant is not written anywhere."""
        raise ValueError("Cannot write values to `ConstantResult` types.")

    def exists(self, location: str, **kwargs: Any) -> bool:
        """Always True: the value is here."""
        return True


class SecretResult(Result):
    """A secret task's value that is never stored: each `read(name)` runs the secret task again.

    Args:
        secret_task: the secret task (`PrefectSecret`, `EnvVarSecret`, ...); its name is the location.

    Raises:
        ValueError: given a `serializer=`, or when written to.
    """

    def __init__(self, secret_task: Any, **kwargs: Any) -> None:
        if "serializer" in kwargs:
            raise ValueError("Can't pass a serializer to a SecretResult.")
        self.secret_task = secret_task
        kwargs.setdefault("location", secret_task.name)
        super().__init__(**kwargs)

    def read(self, location: str) -> Result:
        """A copy holding the secret named `location`, read again now."""
        new = self.copy()
        new.value = self.secret_task.run(name=location)
        new.location = location
        return new

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Always raises ValueError: secrets are not written anywhere."""
        raise ValueError("SecretResults cannot be written to.")
