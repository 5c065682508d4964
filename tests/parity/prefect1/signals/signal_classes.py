"""Signals are exceptions that carry a state class; their hierarchy and messages.

Exercises prefect.engine.signals class hierarchy (docs-v1: api/latest/engine/signals).
"""
import logging
import sys

from prefect.engine import signals

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

for cls in (signals.FAIL, signals.TRIGGERFAIL, signals.SUCCESS, signals.SKIP, signals.RETRY,
            signals.LOOP, signals.PAUSE):
    sig = cls("msg")
    print(cls.__name__, sig.state.__name__ if isinstance(sig.state, type) else type(sig.state).__name__,
          isinstance(sig, signals.PrefectStateSignal), isinstance(sig, Exception), str(sig))
print(issubclass(signals.TRIGGERFAIL, signals.FAIL), issubclass(signals.VALIDATIONFAIL, signals.FAIL))
