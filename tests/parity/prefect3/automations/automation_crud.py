"""Automation objects created, read, updated, disabled, enabled and deleted from Python
against a server, as the "Create automations" how-to does (prefect.automations.Automation:
create, read by id or name, update, disable, enable, delete, and their async forms)."""

import asyncio
from datetime import timedelta

from prefect.automations import Automation
from prefect.events.actions import CancelFlowRun, DoNothing
from prefect.events.schemas.automations import EventTrigger

automation = Automation(
    name="woodchonk",
    trigger=EventTrigger(
        expect={"animal.walked"},
        match={"genus": "Marmota", "species": "monax"},
        posture="Reactive",
        threshold=3,
    ),
    actions=[CancelFlowRun()],
).create()
print(type(automation).__name__, automation.id is not None, automation.enabled)

by_id = Automation.read(id=automation.id)
print(by_id.name, by_id.id == automation.id, sorted(by_id.trigger.expect), by_id.trigger.threshold)
print(by_id.trigger.match, by_id.trigger.posture, [a.type for a in by_id.actions])
by_name = Automation.read(name="woodchonk")
print(by_name.id == automation.id, type(by_name.trigger).__name__)

try:
    Automation.read(name="no such automation")
except ValueError as exc:
    print("missing name:", type(exc).__name__, exc)

print("disable ->", automation.disable(), Automation.read(id=automation.id).enabled)
print("enable ->", automation.enable(), Automation.read(id=automation.id).enabled)

automation.description = "watch the marmots"
automation.trigger.within = timedelta(minutes=5)
automation.actions = [DoNothing()]
print("update ->", automation.update())
again = Automation.read(id=automation.id)
print(again.description, again.trigger.within, [a.type for a in again.actions])

print("delete ->", automation.delete())
try:
    Automation.read(id=automation.id)
except ValueError as exc:
    print("after delete:", type(exc).__name__, str(exc).replace(str(automation.id), "ID"))


async def main() -> None:
    made = await Automation(
        name="async-chonk",
        trigger=EventTrigger(expect={"animal.ran"}, posture="Reactive", threshold=1),
        actions=[DoNothing()],
    ).acreate()
    read = await Automation.aread(name="async-chonk")
    print("async:", read.id == made.id, await made.adisable(), (await Automation.aread(id=made.id)).enabled)
    print("async:", await made.aenable(), await made.adelete())


asyncio.run(main())
