"""State.result() of hand-built states: data comes back, a state without data (or with None) raises MissingResult,
a failed state raises (or returns) its exception.

Exercises Completed(data=...), Failed(data=...) and State.result() outside any run (Prefect API: State.result)."""
from prefect.exceptions import MissingResult
from prefect.states import Completed, Failed

for label, state in (("dict", Completed(data={"k": [1, 2]})), ("None", Completed(data=None)), ("no data", Completed())):
    try:
        print(label, state.result())
    except MissingResult:
        print(label, "MissingResult")
failed = Failed(data=ArithmeticError("boom"))
print(type(failed.result(raise_on_failure=False)).__name__)
try:
    failed.result()
except ArithmeticError as exc:
    print("raised", exc)
