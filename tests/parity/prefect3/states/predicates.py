"""The is_* predicates of each state kind, and which kinds are final.

Exercises State.is_completed/is_failed/is_crashed/is_cancelled/is_pending/is_running/
is_scheduled/is_paused/is_cancelling/is_final (Prefect API: prefect.client.schemas State)."""
from prefect.states import Cancelled, Cancelling, Completed, Crashed, Failed, Paused, Pending, Running, Scheduled

predicates = ["is_completed", "is_failed", "is_crashed", "is_cancelled", "is_pending", "is_running", "is_scheduled", "is_paused", "is_cancelling", "is_final"]

for make in (Completed, Failed, Crashed, Cancelled, Pending, Running, Scheduled, Paused, Cancelling):
    state = make()
    flags = [p.removeprefix("is_") for p in predicates if getattr(state, p)()]
    print(f"{make.__name__}: {' '.join(flags)}")
