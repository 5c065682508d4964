"""The live progress line: counting, silence off a terminal, rendering on one."""

from __future__ import annotations

import io

from rich.console import Console

from headwater import flow, task
from headwater.engine.context import flow_run_var
from headwater.engine.progress import ProgressCounts, ProgressSnapshot, TaskRunProgress


@task
def identity(x: int) -> int:
    return x


@task
def fails_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_counts_move_from_waiting_to_running_to_done_or_failed():
    counts = ProgressCounts()
    for _ in range(4):
        counts.on_submit()
    counts.on_start()
    counts.on_start()
    counts.on_finish(True)
    assert counts.snapshot() == ProgressSnapshot(done=1, running=1, failed=0, waiting=2)
    counts.on_finish(False)  # the second started run fails
    counts.on_finish(False)  # a run that never started (upstream failed) is not "running"
    assert counts.snapshot() == ProgressSnapshot(done=1, running=0, failed=2, waiting=1)
    assert counts.snapshot().describe() == "Task runs: 1 done · 0 running · 2 failed · 1 waiting"


def test_nothing_is_drawn_when_not_a_terminal():
    out = io.StringIO()
    progress = TaskRunProgress(threshold=5, console=Console(file=out, force_terminal=False))
    for _ in range(10):
        progress.on_submit()
    assert not progress.shown
    progress.close()
    assert out.getvalue() == ""


def test_the_line_is_drawn_past_the_threshold_on_a_terminal():
    out = io.StringIO()
    progress = TaskRunProgress(threshold=5, console=Console(file=out, force_terminal=True, width=100))
    for _ in range(5):
        progress.on_submit()
    assert not progress.shown  # at the threshold, not past it
    progress.on_submit()
    assert progress.shown
    progress.counts.on_start()
    progress.counts.on_finish(True)
    progress.close()
    assert not progress.shown
    text = out.getvalue()
    assert "Task runs:" in text and "1 done" in text and "5 waiting" in text


def test_a_flow_counts_its_task_runs_and_stays_quiet_off_a_terminal(history, capfd):
    seen = []

    @flow
    def pipeline() -> None:
        runner = flow_run_var.get().task_runner()
        seen.append(runner)
        fails_on_three.map(range(60)).wait()

    pipeline(return_state=True)
    progress = seen[0].progress
    assert progress.counts.snapshot() == ProgressSnapshot(done=59, running=0, failed=1, waiting=0)
    assert not progress.shown
    assert "Task runs:" not in capfd.readouterr().err


def test_a_flow_on_a_terminal_draws_the_line(history):
    out = io.StringIO()

    @flow
    def pipeline() -> None:
        runner = flow_run_var.get().task_runner()
        runner.progress = TaskRunProgress(console=Console(file=out, force_terminal=True, width=100))
        identity.map(range(80)).wait()

    pipeline()
    assert "80 done" in out.getvalue()
