"""The bases of the client's filter models (`filters.py`, `block_filters.py`,
`resource_filters.py`): a criterion refuses unknown fields, so a misspelt or
unsupported one is an error, never silently ignored."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from pydantic import BaseModel, ConfigDict

__all__ = ["CombinedFilter", "FilterCriteria", "Operator", "TimeRangeFilter"]


class Operator(str, enum.Enum):
    """How the criteria of one filter combine. headwater supports `and_` (the default)."""

    and_ = "and_"
    or_ = "or_"


class FilterCriteria(BaseModel):
    """One criterion (or a filter of criteria): unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class CombinedFilter(FilterCriteria):
    """A filter whose criteria combine by `operator`."""

    operator: Operator = Operator.and_


class TimeRangeFilter(FilterCriteria):
    """A time criterion: `before_`, `after_`, or whether it is unset."""

    before_: Optional[datetime] = None
    after_: Optional[datetime] = None
    is_null_: Optional[bool] = None
