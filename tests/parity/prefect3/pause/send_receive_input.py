"""send_input and receive_input: values sent to a flow run are received in order, a
RunInput model keeps its sender in its metadata, and a receive with nothing left stops
after its timeout."""

from prefect import flow
from prefect.input import RunInput, receive_input, send_input
from prefect.runtime import flow_run


class Greeting(RunInput):
    text: str


@flow
def inbox():
    me = flow_run.id
    send_input(1, flow_run_id=me)
    send_input(2, flow_run_id=me)
    send_input(Greeting(text="hello"), flow_run_id=me, sender="a-friend")
    numbers = []
    for value in receive_input(int, timeout=1, poll_interval=0.2):
        numbers.append(value)
    print("numbers:", numbers)
    for greeting in receive_input(Greeting, timeout=1, poll_interval=0.2):
        print("greeting:", greeting.text, greeting.metadata.sender, greeting.metadata.key.startswith("greeting-auto-"))
    with_metadata = receive_input(int, timeout=0.5, poll_interval=0.2, with_metadata=True)
    print("left:", list(with_metadata))
    return len(numbers)


print("received:", inbox())
