"""Events emitted inside a flow and a task (prefect.events.emit_event) read back from
the API with the client's read_events and an EventFilter: their related resources
include the run they were emitted in."""

import time

from prefect import flow, task
from prefect.client.orchestration import get_client
from prefect.events import emit_event
from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter


@task
def pack(order: int) -> int:
    emit_event(event="acme.test.packed", resource={"prefect.resource.id": f"acme.test.order.{order}"},
               payload={"boxes": 2})
    return order


@flow(name="shipping")
def shipping() -> str:
    pack(7)
    emit_event(event="acme.test.shipped", resource={"prefect.resource.id": "acme.test.order.7"},
               related=[{"prefect.resource.id": "acme.test.carrier.ups", "prefect.resource.role": "carrier"}])
    return "done"


print(shipping())

wanted = EventFilter(event=EventNameFilter(prefix=["acme.test."]))
with get_client(sync_client=True) as client:
    deadline = time.monotonic() + 40
    while True:
        page = client.read_events(filter=wanted, limit=10)
        if len(page.events) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    for event in sorted(page.events, key=lambda e: e.event):
        roles = sorted({r.role for r in event.related})
        print(event.event, event.resource.id, event.payload, roles)
        run = event.resource_in_role["flow-run"]
        print("  flow run:", run.id.startswith("prefect.flow-run."), run.name is not None)
    print("total", page.total)
    by_resource = client.read_events(filter=EventFilter(event=EventNameFilter(prefix=["acme.test."]),
                                                        resource=EventResourceFilter(id=["acme.test.order.7"])),
                                     limit=10)
    print(sorted(e.event for e in by_resource.events))
