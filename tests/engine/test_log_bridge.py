"""engine/log_bridge.py: handlers attached to the `prefect` logger or to root receive run
records, as in Prefect, without a second console line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater import flow, get_run_logger, task
from headwater.engine.log_bridge import PrefectNameBridge, prefect_name


class Heard(logging.Handler):
    """Keeps (logger name, level name, message) of what it is handed."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.records: list[tuple[str, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelname, record.getMessage()))

    def messages(self, prefix: str) -> list[str]:
        return [message for _, _, message in self.records if message.startswith(prefix)]


@pytest.fixture
def attach() -> Iterator[object]:
    """`attach(logger_name, handler)`: added for the test, removed after it (None: root)."""
    attached: list[tuple[logging.Logger, logging.Handler]] = []

    def add(name: str | None, handler: logging.Handler) -> logging.Handler:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        attached.append((logger, handler))
        return handler

    yield add
    for logger, handler in attached:
        logger.removeHandler(handler)


@pytest.fixture
def no_propagation_from_prefect() -> Iterator[None]:
    prefect = logging.getLogger("prefect")
    prefect.propagate = False
    yield
    prefect.propagate = True


def run_some_logging() -> None:
    @task(log_prints=True)
    def step(x: int) -> int:
        get_run_logger().warning("hw: task warning %s", x)
        print("hw: task print")
        return x

    @flow(log_prints=True)
    def pipeline() -> int:
        log = get_run_logger()
        log.debug("hw: flow debug")
        log.info("hw: flow info")
        print("hw: flow print")
        return step(1)

    pipeline()


def test_a_handler_on_prefect_gets_run_records_under_prefect_names(home: Path, attach) -> None:  # type: ignore[no-untyped-def]
    prefect = attach("prefect", Heard())
    ours = attach("headwater", Heard())
    run_some_logging()
    assert [r for r in prefect.records if r[2].startswith("hw:")] == [
        ("prefect.flow_runs", "INFO", "hw: flow info"),
        ("prefect.flow_runs", "INFO", "hw: flow print"),
        ("prefect.task_runs", "WARNING", "hw: task warning 1"),
        ("prefect.task_runs", "INFO", "hw: task print"),
    ]
    # The engine's own lines come along, as Prefect's engine logs under `prefect` too.
    assert ("prefect.task_runs", "INFO", "Finished in state Completed()") in prefect.records
    # headwater's own handlers still see the headwater names: the bridge hands on a copy.
    assert [r[0] for r in ours.records if r[2].startswith("hw:")] == [
        "headwater.flow_runs", "headwater.flow_runs", "headwater.task_runs", "headwater.task_runs"]


def test_a_handler_on_root_gets_run_records_and_prints_no_second_line(  # type: ignore[no-untyped-def]
        home: Path, attach, capsys: pytest.CaptureFixture[str]) -> None:
    root = attach(None, Heard())
    terminal = attach(None, logging.StreamHandler(sys.stderr))  # what logging.basicConfig() adds
    run_some_logging()
    assert root.messages("hw:") == ["hw: flow info", "hw: flow print", "hw: task warning 1", "hw: task print"]
    err = capsys.readouterr().err
    assert err.count("hw: task print") == 1, err  # headwater's console line only
    assert terminal.level == logging.NOTSET


def test_without_headwaters_console_a_terminal_handler_on_root_shows_the_records(  # type: ignore[no-untyped-def]
        home: Path, attach, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_LOGGING_TO_CONSOLE", "false")
    terminal = attach(None, logging.StreamHandler(sys.stderr))
    terminal.setFormatter(logging.Formatter("%(name)s|%(message)s"))
    run_some_logging()
    err = capsys.readouterr().err
    assert err.count("prefect.task_runs|hw: task print") == 1, err
    assert "| INFO" not in err  # headwater's own console line is off


def test_levels_and_filters_of_the_receiving_handlers_are_honoured(home: Path, attach) -> None:  # type: ignore[no-untyped-def]
    warnings_only = attach("prefect", Heard(logging.WARNING))
    everything = attach(None, Heard(logging.DEBUG))
    filtered = attach(None, Heard())
    filtered.addFilter(lambda record: "print" in record.getMessage())
    run_some_logging()
    assert warnings_only.messages("hw:") == ["hw: task warning 1"]
    # DEBUG is below headwater's level (INFO): dropped before any handler, as in Prefect.
    assert "hw: flow debug" not in everything.messages("hw:")
    assert filtered.messages("hw:") == ["hw: flow print", "hw: task print"]


def test_a_logger_below_prefect_hears_its_own_kind_and_propagation_stops_where_asked(  # type: ignore[no-untyped-def]
        home: Path, attach, no_propagation_from_prefect) -> None:
    task_runs = attach("prefect.task_runs", Heard())
    prefect = attach("prefect", Heard())
    root = attach(None, Heard())
    run_some_logging()
    assert task_runs.messages("hw:") == ["hw: task warning 1", "hw: task print"]
    assert len(prefect.messages("hw:")) == 4
    assert root.messages("hw:") == []  # `prefect` does not propagate


def test_a_debug_level_on_the_headwater_logger_reaches_the_bridge(  # type: ignore[no-untyped-def]
        home: Path, attach, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_LOGGING_LEVEL", "DEBUG")
    prefect = attach("prefect", Heard())
    run_some_logging()
    assert "hw: flow debug" in prefect.messages("hw:")


def test_prefect_names() -> None:
    assert prefect_name("headwater") == "prefect"
    assert prefect_name("headwater.task_runs") == "prefect.task_runs"
    assert prefect_name("headwaterish") == "headwaterish"


def test_nothing_is_handed_on_when_no_handler_listens(attach) -> None:  # type: ignore[no-untyped-def]
    class Terminal(logging.StreamHandler):  # type: ignore[type-arg]
        def handle(self, record: logging.LogRecord) -> bool:
            heard.append(("terminal", record.name))
            return True

    heard: list[tuple[str, str]] = []
    bridge = PrefectNameBridge(console_on=True)
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers[:] = [Terminal(sys.stderr)]  # a terminal handler only: skipped
    record = logging.LogRecord("headwater.task_runs", logging.INFO, __file__, 1, "hello", None, None)
    try:
        bridge.handle(record)
        assert heard == []
        listener = attach("prefect.task_runs", Heard())
        bridge.handle(record)
        assert heard == [] and listener.records == [("prefect.task_runs", "INFO", "hello")]
        assert record.name == "headwater.task_runs"  # the listener got a copy
    finally:
        root.handlers[:] = saved


def test_records_of_prefect1_flows_are_not_handed_on_twice(home: Path, attach) -> None:  # type: ignore[no-untyped-def]
    from headwater import Flow

    @task(log_stdout=True)
    def say(name: str) -> None:
        print(f"hw: hello {name}")

    with Flow("p1") as p1_flow:
        say("world")

    prefect = attach("prefect", Heard())
    p1_flow.run()
    # Once, from the Prefect 1 task's own logger; the run's headwater record stays home.
    assert [(name, message) for name, _, message in prefect.records if message.startswith("hw:")] == [
        ("prefect.say", "hw: hello world")]


def test_records_carry_the_run_fields_prefects_run_loggers_add(home: Path, attach) -> None:  # type: ignore[no-untyped-def]
    lines: list[str] = []

    class Formatted(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("hw:"):
                lines.append(self.format(record))

    on_tasks = attach("prefect.task_runs", Formatted())
    on_tasks.setFormatter(logging.Formatter("%(flow_name)s/%(task_name)s %(task_run_name)s: %(message)s"))
    on_flows = attach("prefect.flow_runs", Formatted())
    on_flows.setFormatter(logging.Formatter("%(flow_name)s %(flow_run_name)s: %(message)s"))

    @task(task_run_name="step-one")
    def step() -> None:
        get_run_logger().info("hw: in the task")

    @flow(flow_run_name="run-one")
    def pipeline() -> None:
        get_run_logger().info("hw: in the flow", extra={"flow_name": "given"})
        step()

    pipeline()
    assert lines == ["given run-one: hw: in the flow", "pipeline/step step-one: hw: in the task"]
