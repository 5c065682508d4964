"""A task that returns a Failed state by hand: what a direct call raises, what
return_state gives, and how a flow returning it ends."""
from prefect import flow, task
from prefect.states import Failed


@task
def judge(x):
    if x < 0:
        return Failed(message=f"negative {x}")
    return x


@flow
def main():
    try:
        judge(-1)
    except Exception as exc:
        print("call raised", type(exc).__name__, exc)
    s = judge(-2, return_state=True)
    print("state", s.type.value, s.name, s.message)
    return s


s = main(return_state=True)
print("flow", s.type.value, s.message)
try:
    main()
except Exception as exc:
    print("flow call raised", type(exc).__name__, exc)
