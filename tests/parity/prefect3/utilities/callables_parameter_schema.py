"""prefect.utilities.callables.parameter_schema: a function's parameters as a JSON schema."""
import datetime
import json
from typing import Optional

from pydantic import BaseModel

from prefect import flow
from prefect.utilities.callables import parameter_docstrings, parameter_schema


class Point(BaseModel):
    x: int
    y: int = 0


def f(n: int, label: str = "a", items: Optional[list[int]] = None, *rest, ratio: float = 1.5,
      point: Point = None, day: datetime.date = None, plain=3, **extra):
    """Compute something.

    Args:
        n: how many
            (at least one)
        label: what to call it
        ratio (float): a ratio

    Returns:
        Nothing.
    """


@flow
def my_flow(x: int, y: str = "hello"):
    """A flow.

    Args:
        x: the x
    """


schema = parameter_schema(f)
print(type(schema).__name__)
print(json.dumps(schema.model_dump(), indent=1, sort_keys=True))
print(json.dumps(parameter_schema(my_flow).model_dump(), sort_keys=True))
print(parameter_docstrings(f.__doc__))
print(parameter_docstrings(None))
