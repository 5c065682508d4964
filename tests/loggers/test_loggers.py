"""headwater.logging.loggers: named loggers, run loggers from run objects, silencing."""

from __future__ import annotations

import logging
import subprocess
import sys
from types import SimpleNamespace

import pytest

import headwater.logging
from headwater import flow, get_run_logger, task
from headwater.context import get_run_context
from headwater.engine.logging import RunLogger
from headwater.logging.loggers import (
    LogEavesdropper,
    PrefectLogAdapter,
    disable_run_logger,
    flow_run_logger,
    get_logger,
    task_run_logger,
)


def test_get_logger_names():
    assert get_logger().name == "headwater"
    assert get_logger("x.y").name == "headwater.x.y"
    assert get_logger("headwater.engine").name == "headwater.engine"
    assert get_logger("prefect.flow_runs").name == "headwater.flow_runs"


def test_package_exports_load_lazily():
    assert headwater.logging.get_logger is get_logger
    assert headwater.logging.disable_run_logger is disable_run_logger
    code = "import sys, headwater.logging; print('headwater.logging.loggers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_hooks_get_the_runs_own_loggers(home):
    got = {}

    def task_hook(tsk, run, state):
        got["task"] = task_run_logger(run, tsk)
        got["task_extra"] = task_run_logger(run, tsk, stage="x")

    def flow_hook(flw, run, state):
        got["flow"] = flow_run_logger(run, flw)
        got["from_context_view"] = None

    @task(on_completion=[task_hook])
    def step():
        got["view"] = task_run_logger(get_run_context().task_run)
        return 1

    @flow(on_completion=[flow_hook])
    def pipeline():
        return step()

    pipeline()
    assert isinstance(got["task"], RunLogger) and got["task"].run.is_task
    assert isinstance(got["view"], RunLogger)
    assert isinstance(got["task_extra"], PrefectLogAdapter) and got["task_extra"].extra == {"stage": "x"}
    assert isinstance(got["flow"], RunLogger) and not got["flow"].run.is_task


def test_the_child_of_a_live_runs_logger_with_extra_fields_logs_to_the_run(home):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    keep = Keep()
    logging.getLogger("headwater.flow_runs").addHandler(keep)
    try:
        @flow
        def pipeline():
            run = get_run_context().flow_run
            flow_run_logger(run, stage="x").getChild("sub").info("from the child")
            return run.id

        run_id = pipeline()
    finally:
        logging.getLogger("headwater.flow_runs").removeHandler(keep)
    (record,) = [r for r in records if r.getMessage() == "from the child"]
    assert record.name == "headwater.flow_runs.sub"
    assert record.stage == "x" and record.hw_run.id == str(run_id)


def test_loggers_for_runs_read_elsewhere_carry_extra_fields():
    run = SimpleNamespace(id="abc", name="nice-run", flow_run_id=None)
    adapter = flow_run_logger(run, SimpleNamespace(name="f"), custom=1)
    assert adapter.extra == {"flow_run_name": "nice-run", "flow_run_id": "abc", "flow_name": "f", "custom": 1}
    assert task_run_logger(run).extra["task_name"] == "<unknown>"
    with pytest.raises(ValueError, match="flow_run"):
        flow_run_logger()


def test_disable_run_logger_lets_task_functions_run_outside_flows():
    @task
    def step(x):
        get_run_logger().info("quiet")
        return x

    with pytest.raises(RuntimeError, match="outside a flow or task run"):
        step.fn(1)
    with disable_run_logger():
        assert step.fn(2) == 2
    assert not logging.getLogger("headwater.task_runs").disabled


def test_disable_logger_with_a_prefect_name_silences_headwaters_logger_of_that_name(home):
    from headwater.logging.loggers import disable_logger

    heard = []

    class Heard(logging.Handler):
        def emit(self, record):
            heard.append(record.getMessage())

    handler = Heard()
    logging.getLogger("prefect").addHandler(handler)
    try:
        @flow
        def chatty():
            get_run_logger().info("d: from the flow")

        with disable_logger("prefect.flow_runs"):
            chatty()
        assert not logging.getLogger("headwater.flow_runs").disabled
        assert not logging.getLogger("prefect.flow_runs").disabled
        chatty()
    finally:
        logging.getLogger("prefect").removeHandler(handler)
    assert [m for m in heard if m.startswith("d:")] == ["d: from the flow"]


def test_eavesdropper_collects_a_loggers_lines():
    with LogEavesdropper("unit.eaves", level=logging.INFO) as heard:
        logging.getLogger("unit.eaves").info("one")
        logging.getLogger("unit.eaves.child").error("two")
        logging.getLogger("unit.eaves").debug("three")
    logging.getLogger("unit.eaves").info("after")
    assert heard.text() == "[INFO]: one\n[ERROR]: two"


def test_print_as_log_sends_prints_of_log_prints_runs_to_the_run_logger(home):
    from headwater.logging.loggers import patch_print

    captured = []

    class Keep(logging.Handler):
        def emit(self, record):
            captured.append(record.getMessage())

    keep = Keep()
    logging.getLogger("headwater.task_runs").addHandler(keep)

    @task(log_prints=True)
    def talk():
        with patch_print():
            print("hello", "there")

    @flow
    def pipeline():
        talk()

    try:
        pipeline()
    finally:
        logging.getLogger("headwater.task_runs").removeHandler(keep)
    assert "hello there" in captured
