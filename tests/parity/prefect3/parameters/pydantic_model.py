"""A flow parameter typed as a pydantic model accepts a dict and receives a model instance.

Exercises pydantic-model parameters (Prefect docs: flows, "Parameters")."""
from pydantic import BaseModel

from prefect import flow


class Settings(BaseModel):
    name: str
    retries: int = 1
    tags: list[str] = []


@flow
def configure(settings: Settings):
    return type(settings).__name__, settings.name, settings.retries, settings.tags


print(configure({"name": "job", "retries": "3", "tags": ["a"]}))
print(configure(Settings(name="direct")))
