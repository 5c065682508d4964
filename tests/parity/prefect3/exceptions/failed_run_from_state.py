"""A flow that returns Failed(message=...) ends Failed; its result() raises FailedRun, carrying the message.

Exercises prefect.states.Failed as a return value and prefect.exceptions.FailedRun."""
from prefect import flow
from prefect.exceptions import FailedRun
from prefect.states import Failed


@flow
def main():
    return Failed(message="gave up on purpose")


if __name__ == "__main__":
    state = main(return_state=True)
    print(state.type.value, state.message)
    try:
        state.result()
    except FailedRun as exc:
        print("FailedRun", str(exc))
