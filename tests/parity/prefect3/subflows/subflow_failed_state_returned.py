"""A parent returns a failed subflow's state: the parent ends Failed even though it did not raise.

Exercises how a returned state decides the flow's final state."""
from prefect import flow


@flow
def child():
    raise RuntimeError("child broke")


@flow
def parent():
    s = child(return_state=True)
    print("child state", s.name)
    return s


if __name__ == "__main__":
    final = parent(return_state=True)
    print("parent", final.type.value)
