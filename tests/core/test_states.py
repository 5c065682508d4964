import itertools

import pytest

from headwater.core.states import FINAL_TYPES, TRANSITIONS, State, StateType, check_transition, is_allowed
from headwater.exceptions import CrashedRun, FailedRun, InvalidStateTransition, UnfinishedRun
from headwater.states import AwaitingRetry, Cached, Completed, Crashed, Failed, Late, Retrying, Running, TimedOut

S = StateType
ALL = list(StateType)


def expected(from_type, to_type):
    """The rules, stated independently of the table."""
    if from_type in FINAL_TYPES:
        return to_type is S.SCHEDULED  # a finished run only leaves by being rescheduled (retried)
    if from_type is S.CANCELLING:
        return to_type in FINAL_TYPES
    if from_type is S.PAUSED and to_type is S.COMPLETED:
        return False  # a paused run must resume before it can complete
    if from_type is S.PAUSED and to_type is S.PAUSED:
        return False
    if to_type is S.PENDING:
        # PENDING -> PENDING: a task run whose upstream did not complete is renamed NotReady
        return from_type in (None, S.SCHEDULED, S.PAUSED, S.PENDING)
    if to_type is S.RUNNING:
        return from_type is not S.RUNNING
    if to_type is S.CANCELLING:
        return from_type is not None
    if to_type is S.PAUSED:
        return from_type in (S.SCHEDULED, S.PENDING, S.RUNNING)
    return True


@pytest.mark.parametrize("from_type,to_type", list(itertools.product([None, *ALL], ALL)))
def test_every_pair_of_the_transition_table(from_type, to_type):
    assert is_allowed(from_type, to_type) is expected(from_type, to_type)
    if expected(from_type, to_type):
        check_transition(from_type, to_type)
    else:
        with pytest.raises(InvalidStateTransition, match=to_type.value):
            check_transition(from_type, to_type)


def test_table_covers_every_type():
    assert set(TRANSITIONS) == {None, *ALL}


def test_display_of_states():
    assert str(Completed()) == "Completed()"
    assert str(Cached()) == "Cached(type=COMPLETED)"
    assert str(Failed(message="boom")) == "Failed('boom')"
    assert str(TimedOut(message="late")) == "TimedOut('late', type=FAILED)"
    assert Late().type is S.SCHEDULED and AwaitingRetry().type is S.SCHEDULED
    assert Retrying().type is S.RUNNING and Running().name == "Running"


def test_result_returns_value_or_reraises_the_original_exception():
    assert Completed(data=5).result() == 5
    error = KeyError("k")
    state = Failed(data=error)
    with pytest.raises(KeyError) as raised:
        state.result()
    assert raised.value is error
    assert state.result(raise_on_failure=False) is error


def test_result_of_unfinished_and_dataless_states():
    with pytest.raises(UnfinishedRun):
        Running().result()
    with pytest.raises(CrashedRun, match="gone"):
        Crashed(message="gone").result()
    with pytest.raises(FailedRun, match="no exception kept"):
        Failed(message="no exception kept").result()


def test_timestamp_is_aware_utc():
    from headwater.core.clock import use_clock

    with use_clock(lambda: 0.0):
        state = State(S.PENDING)
    assert state.ts == 0.0
    assert state.timestamp.isoformat() == "1970-01-01T00:00:00+00:00"


def test_state_helpers():
    import asyncio

    from headwater.states import (
        StateGroup,
        exception_to_failed_state,
        get_state_exception,
        is_state_iterable,
        raise_state_exception,
    )

    failed = Failed(data=ValueError("inner"))
    assert str(get_state_exception(failed)) == "inner"
    with pytest.raises(ValueError, match="Expected failed"):
        get_state_exception(Completed())
    with pytest.raises(ValueError, match="inner"):
        raise_state_exception(failed)
    assert is_state_iterable([Completed(), failed]) and not is_state_iterable([])
    group = StateGroup([Completed(), failed])
    assert (group.total_count, group.fail_count, group.all_completed()) == (2, 1, False)
    state = asyncio.run(exception_to_failed_state(KeyError("k")))
    assert state.is_failed() and isinstance(state.result(raise_on_failure=False), KeyError)


def test_custom_names_and_failed_run():
    assert Completed(name="Skipped").name == "Skipped" and Completed(name="Skipped").is_completed()
    with pytest.raises(FailedRun, match="Run failed."):
        Failed().result()
