"""The "Write interactive workflows" guide: a BaseModel given to wait_for_input comes
back as a RunInput; a RunInput with a model_validator raises ValidationError in the
flow after resuming, and the guide's loop pauses again until valid input comes; a
greeter flow answers a sender flow with `respond`, keeps the keys it has seen in a
Variable and skips them with `exclude_keys`, while the sender reads the answers with
one `receive_input` iterator and `.next()`."""

import asyncio
import threading
import time
from typing import Literal

import pydantic
from pydantic import BaseModel

from prefect import flow, get_client
from prefect.context import get_run_context
from prefect.flow_runs import pause_flow_run, resume_flow_run
from prefect.input import RunInput, read_flow_run_input
from prefect.input.run_input import receive_input, send_input
from prefect.runtime import flow_run
from prefect.variables import Variable

EXIT_SIGNAL = "__EXIT__"


class User(BaseModel):
    name: str
    age: int


class ShirtOrder(RunInput):
    size: Literal["small", "medium", "large", "xlarge"]
    color: Literal["red", "green", "black"]

    @pydantic.model_validator(mode="after")
    def validate_age(self):
        if self.color == "green" and self.size == "small":
            raise ValueError("Green is only in-stock for medium, large, and XL sizes.")
        return self


def resume_when_paused(flow_run_id, key, run_input):
    with get_client(sync_client=True) as client:
        for _ in range(600):
            if client.read_flow_run(flow_run_id).state.is_paused() and read_flow_run_input(
                    f"{key}-schema", flow_run_id=flow_run_id):
                break
            time.sleep(0.05)
    resume_flow_run(flow_run_id, run_input=run_input)


def resumer(flow_run_id, answers):
    for key, run_input in answers:
        resume_when_paused(flow_run_id, key, run_input)


@flow
def greet_user():
    thread = threading.Thread(target=resumer, args=(flow_run.id, [("paused-1", {"name": "ada", "age": 36})]))
    thread.start()
    user = pause_flow_run(wait_for_input=User, timeout=60, poll_interval=1)
    thread.join()
    print("user:", user.name, user.age, isinstance(user, RunInput), isinstance(user, User))
    return user.name


@flow
def get_shirt_order():
    thread = threading.Thread(target=resumer, args=(flow_run.id, [
        ("paused-1", {"size": "small", "color": "green"}),
        ("paused-2", {"size": "large", "color": "green"}),
    ]))
    thread.start()
    shirt_order = None
    while shirt_order is None:
        try:
            shirt_order = pause_flow_run(wait_for_input=ShirtOrder, timeout=60, poll_interval=1)
        except pydantic.ValidationError as exc:
            print("invalid:", exc.error_count(), exc.errors()[0]["msg"])
    thread.join()
    print(f"Shirt order: {shirt_order.size}, {shirt_order.color}")
    return shirt_order.size


@flow
async def greeter(started):
    run_context = get_run_context()
    variable_name = f"{run_context.flow_run.id}-seen-ids"
    seen_keys = await Variable.get(variable_name, default=[])
    started.set_result(run_context.flow_run.id)
    async for name_input in receive_input(str, with_metadata=True, poll_interval=0.1, timeout=30,
                                          exclude_keys=seen_keys):
        if name_input.value == EXIT_SIGNAL:
            print("Goodbye!")
            return len(seen_keys)
        await name_input.respond(f"Hello, {name_input.value}!")
        seen_keys.append(name_input.metadata.key)
        await Variable.set(variable_name, seen_keys, overwrite=True)


@flow
async def sender(started, names):
    greeter_flow_run_id = await started
    receiver = receive_input(str, timeout=30, poll_interval=0.1)
    greetings = []
    for name in names:
        await send_input(name, flow_run_id=greeter_flow_run_id)
        greetings.append(await receiver.next())
    await send_input(EXIT_SIGNAL, flow_run_id=greeter_flow_run_id)
    return greetings


async def conversation():
    started = asyncio.get_running_loop().create_future()
    answered, greeted = await asyncio.gather(greeter(started), sender(started, ["andrew", "marvin"]))
    print("greeter answered:", answered)
    print("sender got:", greeted)
    seen = await Variable.get(f"{started.result()}-seen-ids")
    print("seen keys:", len(seen), all(key.startswith("str-auto-") for key in seen))


print("returned:", greet_user())
print("returned:", get_shirt_order())
asyncio.run(conversation())
