"""A subflow called with return_state=True does not raise; the parent inspects the state and continues.

Exercises Flow.__call__(return_state=True) for subflows."""
from prefect import flow


@flow
def child(fail: bool):
    if fail:
        raise ValueError("child failed")
    return "child ok"


@flow
def parent():
    good = child(False, return_state=True)
    bad = child(True, return_state=True)
    print("good", good.name, good.result())
    print("bad", bad.name, bad.is_failed())
    try:
        bad.result()
    except ValueError as exc:
        print("bad raised", exc)
    return "parent done"


if __name__ == "__main__":
    print(parent())
