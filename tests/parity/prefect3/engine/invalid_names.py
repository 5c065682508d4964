"""Flow names with characters Prefect refuses raise InvalidNameError when the flow is
defined; task names are free."""
from prefect import flow, task
from prefect.exceptions import InvalidNameError

for bad in ("a/b", "50%", "x&y", "<tag>"):
    try:
        flow(name=bad)(lambda: None)
        print(bad, "accepted")
    except InvalidNameError as exc:
        print(bad, "refused:", type(exc).__name__)


@task(name="any/name%ok")
def t():
    return 1


print(t.name)
