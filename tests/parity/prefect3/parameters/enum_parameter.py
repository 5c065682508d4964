"""An Enum-typed parameter accepts the enum member or its value.

Exercises Enum parameter coercion (Prefect docs: flows, "Parameters")."""
from enum import Enum

from prefect import flow
from prefect.exceptions import ParameterTypeError


class Color(Enum):
    RED = "red"
    BLUE = "blue"


@flow
def paint(color: Color):
    return color.name


print(paint("red"))
print(paint(Color.BLUE))
try:
    paint("green")
except ParameterTypeError:
    print("green rejected")
