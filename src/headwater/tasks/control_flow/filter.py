"""Prefect 1's `FilterTask`: keep the elements of a list (often a mapped task's results) that pass a test.

    drop_failures = FilterTask()                                  # drops None and exceptions
    evens = FilterTask(filter_func=lambda x: x % 2 == 0)
    with Flow("numbers") as flow:
        kept = drop_failures(divide.map(numbers))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.engine.tasks import Task
from headwater.triggers import all_finished

__all__ = ["FilterTask"]


def _is_kept_by_default(value: Any) -> bool:
    """None and exceptions (a failed mapped child's result) are dropped."""
    return not isinstance(value, (type(None), BaseException))


class FilterTask(Task[..., Any]):
    """A task returning the elements of `task_results` for which `filter_func` is true.

    It runs once every upstream task finished, failed ones included (trigger
    `all_finished`), and is not skipped when an upstream was (`skip_on_upstream_skip=False`),
    so it can clean up after a partly failed map.

    Args:
        filter_func: `f(value) -> bool`, True to keep (default: drop None and exceptions).
        log_func: `f(kept) -> str`, logged at INFO after filtering (default: no log line).
        **kwargs: other task options.
    """

    def __init__(self, filter_func: Callable[[Any], bool] | None = None,
                 log_func: Callable[[list[Any]], str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("skip_on_upstream_skip", False)
        kwargs.setdefault("trigger", all_finished)
        self.filter_func = filter_func or _is_kept_by_default
        self.log_func = log_func
        super().__init__(**kwargs)

    def run(self, task_results: list[Any]) -> list[Any]:
        """The kept elements, in their order."""
        kept = [value for value in task_results if self.filter_func(value)]
        if self.log_func is not None:
            self.logger.info(self.log_func(kept))
        return kept
