"""Flow parameters validated and coerced from type hints (pydantic): strings to ints,
dicts to models, lists of models; validate_parameters=False leaves them as given."""
from typing import List, Optional

from pydantic import BaseModel

from prefect import flow


class Config(BaseModel):
    name: str
    size: int = 1


@flow
def typed(n: int, cfg: Config, items: List[Config], maybe: Optional[int] = None):
    return n + 1, type(cfg).__name__, cfg.size, [c.name for c in items], maybe


@flow(validate_parameters=False)
def untyped(n: int):
    return type(n).__name__, n


print(typed("41", {"name": "a", "size": "3"}, [{"name": "b"}], maybe="7"))
print(untyped("5"))
s = typed(1, {"size": 2}, [], return_state=True)
print(s.type.value)
