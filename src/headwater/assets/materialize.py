"""`@materialize`: a task whose runs make assets (Prefect's `MaterializingTask`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, Union

from typing_extensions import ParamSpec, Unpack

from headwater.core.asset_schemas import Asset
from headwater.engine.options import TaskOptions
from headwater.engine.tasks import Task, TaskOptionsDict

__all__ = ["MaterializingTask", "materialize"]

P = ParamSpec("P")
R = TypeVar("R")


def _as_assets(assets: Sequence[Union[str, Asset]]) -> list[Asset]:
    return [Asset(key=a) if isinstance(a, str) else a for a in assets]


class MaterializingTask(Task[P, R]):
    """A task that materializes assets: each run that ends Completed or Failed records
    a materialization of every asset in `assets` (see `headwater.assets`).

    Args:
        fn: the function.
        assets: the assets it makes (keys or `Asset`s).
        materialized_by: the tool that makes them (`"dbt"`, `"spark"`), if any.
        **task_kwargs: the options of `@task`.
    """

    tracks_assets = True

    def __init__(self, fn: Callable[P, R], *, assets: Sequence[Union[str, Asset]],
                 materialized_by: str | None = None, options: TaskOptions | None = None, **task_kwargs: Any) -> None:
        super().__init__(fn, options, **task_kwargs)
        self.assets: list[Asset] = _as_assets(assets)
        self.materialized_by = materialized_by

    def with_options(self, assets: Sequence[Union[str, Asset]] | None = None,
                     **changes: Any) -> MaterializingTask[P, R]:
        """A copy with some options (and, given `assets`, the assets) changed."""
        from headwater.engine.definition import as_plain_dict
        from headwater.engine.options import build_options

        options = build_options(TaskOptions, {**as_plain_dict(self.options), **changes})
        copy: MaterializingTask[P, R] = MaterializingTask(
            self.fn, assets=self.assets if assets is None else assets, materialized_by=self.materialized_by,
            options=options)
        copy._bound_to = self._bound_to
        copy._is_classmethod = self._is_classmethod
        return copy


def materialize(*assets: Union[str, Asset], by: str | None = None,
                **task_kwargs: Unpack[TaskOptionsDict]) -> Callable[[Callable[P, R]], MaterializingTask[P, R]]:
    """Make a function a task that materializes `assets` (keys or `Asset`s).

    Args:
        *assets: what each run makes (at least one).
        by: the tool that ultimately makes them (`"dbt"`, `"spark"`), recorded with each
            materialization.
        **task_kwargs: the options of `@task`, including `asset_deps=[...]`, the assets
            it reads.

    Raises:
        TypeError: no asset given.
        pydantic.ValidationError: a key is not a URI (`s3://bucket/file.csv`).

    Example:
        >>> @materialize("s3://lake/sales.csv", asset_deps=["postgres://db/orders"])
        ... def export_sales() -> None: ...
    """
    if not assets:
        raise TypeError("materialize requires at least one asset argument, e.g. `@materialize(asset)`")
    made = _as_assets(assets)  # a bad key fails here, at decoration, as in Prefect
    from headwater.engine.options import build_options

    options = build_options(TaskOptions, dict(task_kwargs))

    def decorator(fn: Callable[P, R]) -> MaterializingTask[P, R]:
        return MaterializingTask(fn, assets=made, materialized_by=by, options=options)

    return decorator
