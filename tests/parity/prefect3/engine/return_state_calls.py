"""return_state=True on task calls, .submit and .map, and on flow calls with invalid
parameters (a Failed state is returned instead of raising)."""
from prefect import flow, task


@task
def half(x):
    if x % 2:
        raise ValueError(f"odd {x}")
    return x // 2


@flow
def typed(n: int):
    return n + 1


@flow
def main():
    s = half(4, return_state=True)
    print("call:", s.type.value, s.result())
    s = half(3, return_state=True)
    print("call failed:", s.type.value, s.is_failed())
    f = half.submit(8, return_state=True)
    print("submit type:", type(f).__name__)
    print("submit:", f.type.value, f.result())
    fs = half.map([2, 5, 6], return_state=True)
    print("map:", [type(x).__name__ for x in fs])
    print("map states:", [x.type.value for x in fs])
    print("map ok results:", [x.result() for x in fs if x.is_completed()])
    return "ok"


print(main())
s = typed("not a number", return_state=True)
print("invalid params:", s.type.value, s.is_failed())
try:
    s.result()
except Exception as exc:
    print("raises", type(exc).__name__)
try:
    typed("x")
except Exception as exc:
    print("direct call raises", type(exc).__name__)
print(typed("41"))
