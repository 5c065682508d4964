"""Flow names with characters Prefect reserves ("/", "%", "&", ">", "<") are refused when the
flow is defined; other punctuation is fine.

Exercises @flow(name=...) validation (Prefect API: prefect.exceptions.InvalidNameError)."""
from prefect import flow
from prefect.exceptions import InvalidNameError

for name in ("reports/daily", "50% done", "a & b", "fine name: v2", "dots.and-dashes_ok"):
    try:
        defined = flow(name=name)(lambda: None)
        print("accepted", repr(defined.name))
    except InvalidNameError:
        print("refused", repr(name))
