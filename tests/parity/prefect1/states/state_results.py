"""States carry a result and a message; equality and a few state-specific predicates.

Exercises State(result=, message=), is_cached, is_mapped, is_retrying, is_looped (docs-v1: core/concepts/states).
"""
import logging
import sys

from prefect.engine.state import Cached, Failed, Looped, Mapped, Retrying, Success

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

ok = Success(message="all good", result={"n": 1})
print(ok.result, ok.message, type(ok).__name__)
print(Cached(result=3).is_cached(), Cached(result=3).is_successful(), ok.is_cached())
print(Mapped(map_states=[Success(result=1), Failed(result=ValueError("x"))]).is_mapped())
print([type(s).__name__ for s in Mapped(map_states=[Success(result=1), Failed()]).map_states])
print(Retrying(run_count=2).is_retrying(), Retrying(run_count=2).run_count)
print(Looped(loop_count=3).is_looped(), Looped(loop_count=3).loop_count)
print(Success(result=1) == Success(result=1), Success(result=1) == Failed(result=1))
print(repr(Failed(message="broken")))
