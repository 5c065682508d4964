"""With return_state=True, a flow given invalid parameters returns a Failed state instead of raising.

Exercises Flow.__call__(return_state=True) with a parameter validation failure."""
from prefect import flow


@flow
def typed(n: int) -> int:
    return n


if __name__ == "__main__":
    state = typed("abc", return_state=True)
    print(state.type.value, state.is_failed())
    try:
        state.result()
    except Exception as exc:
        print("result raises", type(exc).__name__)
