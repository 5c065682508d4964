"""An async flow awaits pause_flow_run with a RunInput given initial data and a
description; the resumer finds the input's keys from the paused state
(keyset_from_paused_state) and reads the description and schema defaults."""

import asyncio
import threading
import time

from prefect import flow, get_client
from prefect.flow_runs import pause_flow_run, resume_flow_run
from prefect.input import RunInput, keyset_from_paused_state, read_flow_run_input
from prefect.runtime import flow_run


class Shipping(RunInput):
    address: str
    express: bool = False


def resumer(flow_run_id):
    with get_client(sync_client=True) as client:
        for _ in range(600):
            state = client.read_flow_run(flow_run_id).state
            if state.is_paused():
                keyset = keyset_from_paused_state(state)
                if read_flow_run_input(keyset["schema"], flow_run_id=flow_run_id):
                    break
            time.sleep(0.05)
    print("keys:", sorted(keyset.values()))
    print("description:", read_flow_run_input(keyset["description"], flow_run_id=flow_run_id))
    schema = read_flow_run_input(keyset["schema"], flow_run_id=flow_run_id)
    print("defaults:", {k: v.get("default") for k, v in sorted(schema["properties"].items())})
    resume_flow_run(flow_run_id, run_input={"address": "1 Main St", "express": True})


@flow
async def ship():
    thread = threading.Thread(target=resumer, args=(flow_run.id,))
    thread.start()
    answer = await pause_flow_run(
        wait_for_input=Shipping.with_initial_data(description="Where should it go?", express=True),
        timeout=60, poll_interval=1)
    thread.join()
    print("answer:", answer.address, answer.express)
    return answer.address


print("shipped to:", asyncio.run(ship()))
