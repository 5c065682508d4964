import logging
import re

import pytest

from headwater import flow, get_run_logger, task

LINE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} \| (?P<level>[A-Z]+) *\| (?P<who>.+?) - (?P<message>.*)$")


def lines(err: str) -> list[tuple[str, str, str]]:
    found = []
    for line in err.splitlines():
        match = LINE.match(line)
        if match:
            found.append((match["level"], match["who"], match["message"]))
    return found


def test_console_format_matches_the_prefect_layout(history, capsys):
    @task
    def fetch(x: int) -> int:
        return x

    @flow(log_prints=True)
    def pipeline(n: int = 2):
        for i in range(n):
            print(fetch(i))

    pipeline()
    out = lines(capsys.readouterr().err)
    name = history.only_flow_run().name
    assert out[0] == ("INFO", "headwater.engine", f"Created flow run '{name}' for flow 'pipeline'")
    assert out[1][0:2] == ("INFO", out[1][1]) and re.fullmatch(r"Task run 'fetch-[0-9a-f]{3}'", out[1][1])
    assert out[1][2] == "Finished in state Completed()"
    assert out[2] == ("INFO", f"Flow run '{name}'", "0")
    assert out[-1] == ("INFO", f"Flow run '{name}'", "Finished in state Completed()")


def test_every_run_log_line_is_stored_with_its_run_ids(history):
    @task
    def step():
        get_run_logger().warning("from the task")

    @flow
    def pipeline():
        get_run_logger().info("from the flow")
        step()

    pipeline()
    run = history.only_flow_run()
    (task_run,) = history.store.history.read_task_runs(run.id)
    logs = history.store.history.read_logs(flow_run_id=run.id)
    by_message = {log.message: log for log in logs}
    assert by_message["from the flow"].task_run_id is None
    assert by_message["from the task"].task_run_id == task_run.id
    assert by_message["from the task"].level == logging.WARNING
    assert [log.message for log in history.store.history.read_logs(task_run_id=task_run.id)] == [
        "from the task", "Finished in state Completed()"]



def test_a_child_of_the_run_logger_logs_into_its_run_under_its_own_name(history, capsys):
    # get_run_logger().getChild(...) raised AttributeError (RunLogger had no getChild).
    @task
    def step():
        get_run_logger().getChild("db").info("from the task's child")

    @flow
    def pipeline():
        child = get_run_logger().getChild("x")
        child.info("from the flow's child")
        child.getChild("y", extra={"note": 1}).warning("from a grandchild")
        step()

    pipeline()
    run = history.only_flow_run()
    (task_run,) = history.store.history.read_task_runs(run.id)
    by_message = {log.message: log for log in history.store.history.read_logs(flow_run_id=run.id)}
    assert (by_message["from the flow's child"].task_run_id, by_message["from the flow's child"].logger) == (
        None, "headwater.flow_runs.x")
    assert by_message["from a grandchild"].logger == "headwater.flow_runs.x.y"
    assert by_message["from a grandchild"].level == logging.WARNING
    assert (by_message["from the task's child"].task_run_id, by_message["from the task's child"].logger) == (
        task_run.id, "headwater.task_runs.db")
    out = lines(capsys.readouterr().err)
    assert ("INFO", "headwater.flow_runs.x", "from the flow's child") in out  # its name, as Prefect shows it
    assert ("WARNING", "headwater.flow_runs.x.y", "from a grandchild") in out

def test_log_prints_is_inherited_by_tasks_and_off_by_default(history, capsys):
    @task
    def shout():
        print("inside task")

    @flow(log_prints=True)
    def logged():
        shout()

    @flow
    def plain():
        print("plain print")

    logged()
    plain()
    captured = capsys.readouterr()
    assert "plain print" in captured.out
    assert any(who.startswith("Task run 'shout-") and message == "inside task" for _, who, message in lines(captured.err))


def test_logging_level_setting(home, monkeypatch, capsys):
    monkeypatch.setenv("HEADWATER_LOGGING_LEVEL", "warning")

    @flow
    def quiet():
        get_run_logger().info("hidden")
        get_run_logger().warning("shown")

    quiet()
    err = capsys.readouterr().err
    assert "shown" in err and "hidden" not in err and "Finished in state" not in err


def test_get_run_logger_outside_a_run_says_what_to_do():
    with pytest.raises(RuntimeError, match="outside a flow or task run"):
        get_run_logger()


def test_failure_is_logged_with_traceback(history, capsys):
    @task
    def bad():
        raise ValueError("no good")

    bad(return_state=True)
    err = capsys.readouterr().err
    assert "Task run failed with exception: ValueError('no good')" in err
    assert "Traceback" in err and "Finished in state Failed('Task run encountered an exception ValueError: no good')" in err


def test_log_prints_logs_what_print_would_write_without_trailing_whitespace(history):
    @flow(log_prints=True)
    def chatty():
        print("two lines\n")
        print("a", "b", sep="-", end="!\n")
        print("  indented", end="")
        print()

    chatty()
    run = history.only_flow_run()
    messages = [log.message for log in history.store.history.read_logs(flow_run_id=run.id)]
    start = messages.index("two lines")
    assert messages[start:start + 4] == ["two lines", "a-b!", "  indented", ""]
