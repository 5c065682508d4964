"""Schedule objects are immutable dataclasses: assigning a field raises, and equal fields compare equal.

Exercises prefect.schedules.Schedule as a frozen dataclass."""
import dataclasses
from datetime import datetime, timezone

from prefect.schedules import Interval

anchor = datetime(2024, 1, 1, tzinfo=timezone.utc)
a = Interval(60, anchor_date=anchor)
b = Interval(60, anchor_date=anchor)
c = Interval(120, anchor_date=anchor)
print("equal", a == b, "different", a == c)
try:
    a.interval = 5
except dataclasses.FrozenInstanceError:
    print("FrozenInstanceError")
print("fields", [f.name for f in dataclasses.fields(a)])
