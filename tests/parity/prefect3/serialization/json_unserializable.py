"""A persisted result that the json serializer cannot encode makes the task fail; the flow sees the state.

Exercises result_serializer="json" with a value JSON cannot represent."""
from prefect import flow, task


class Opaque:
    pass


@task(persist_result=True, result_serializer="json")
def produce():
    return Opaque()


@flow
def main():
    s = produce(return_state=True)
    print("task state", s.type.value)
    return "flow ok"


if __name__ == "__main__":
    print(main())
