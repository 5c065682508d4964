"""The State class hierarchy of prefect.engine.state and its predicates.

Exercises prefect.engine.state classes (docs-v1: core/concepts/states).
"""
import logging
import sys

from prefect.engine import state

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

names = ["Pending", "Scheduled", "Retrying", "Running", "Looped", "Success", "Cached", "Mapped",
         "Skipped", "Failed", "TriggerFailed", "TimedOut", "Paused", "Cancelled"]
for name in names:
    cls = getattr(state, name)
    s = cls(message=f"{name} message")
    print(name, [b.__name__ for b in cls.__mro__[1:3]],
          s.is_pending(), s.is_running(), s.is_finished(), s.is_successful(), s.is_failed(),
          s.is_skipped(), s.message)
