"""A dict that does not validate against a pydantic-model parameter is rejected.

Exercises pydantic-model parameter validation errors (Prefect docs: flows, "Parameters")."""
from pydantic import BaseModel, Field

from prefect import flow
from prefect.exceptions import ParameterTypeError


class Order(BaseModel):
    item: str
    quantity: int = Field(gt=0)


@flow
def place(order: Order):
    return order.quantity


print(place({"item": "pen", "quantity": 2}))
for bad in ({"item": "pen", "quantity": 0}, {"quantity": 1}, "not a dict"):
    try:
        place(bad)
    except ParameterTypeError:
        print("rejected", bad)
