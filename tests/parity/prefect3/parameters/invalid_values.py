"""Invalid parameter values raise ParameterTypeError, which is a PrefectException, before the body runs.

Exercises parameter validation failures (Prefect API: prefect.exceptions.ParameterTypeError)."""
from prefect import flow
from prefect.exceptions import ParameterTypeError, PrefectException

body_runs = []


@flow
def strict(n: int, ratio: float, items: list[int]):
    body_runs.append(1)
    return n


for args in [("x", 1.0, [1]), (1, "half", [1]), (1, 1.0, ["a"]), (1, 1.0, 5)]:
    try:
        strict(*args)
        print("accepted", args)
    except ParameterTypeError as exc:
        print("rejected", args, isinstance(exc, PrefectException))
print(len(body_runs))
