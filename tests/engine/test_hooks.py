import asyncio

from headwater import flow, task


def test_hooks_receive_the_definition_run_and_state(history):
    calls = []

    def record(kind):
        return lambda obj, run, state: calls.append((kind, obj.name, run.name, state.name))

    @task(on_completion=[record("task-done")], on_running=[record("task-running")])
    def ok():
        return 1

    @task(on_failure=[record("task-failed")])
    def bad():
        raise ValueError("x")

    @flow(on_completion=[record("flow-done")])
    def pipeline():
        ok()
        try:
            bad()
        except ValueError:
            pass

    pipeline()
    kinds = [c[0] for c in calls]
    assert kinds == ["task-running", "task-done", "task-failed", "flow-done"]
    assert calls[0][1] == "ok" and calls[0][3] == "Running" and calls[1][3] == "Completed"
    assert calls[-1][1] == "pipeline"


def test_a_hook_that_raises_is_logged_and_changes_nothing(history, capsys):
    def broken(obj, run, state):
        raise RuntimeError("hook is broken")

    @flow(on_completion=[broken], on_failure=[broken])
    def pipeline():
        return 7

    assert pipeline() == 7
    run = history.only_flow_run()
    assert run.state.type == "COMPLETED"
    logs = history.store.history.read_logs(flow_run_id=run.id)
    assert any("Hook 'broken' raised" in line.message and "hook is broken" in line.message for line in logs)
    assert "Hook 'broken' raised" in capsys.readouterr().err


def test_async_hooks_run_in_sync_and_async_flows(history):
    calls = []

    async def on_done(obj, run, state):
        await asyncio.sleep(0)
        calls.append(obj.name)

    @flow(on_completion=[on_done])
    def sync_flow():
        return 1

    @flow(on_completion=[on_done])
    async def async_flow():
        return 2

    sync_flow()
    asyncio.run(async_flow())
    assert calls == ["sync-flow", "async-flow"]


def test_crash_hooks(history):
    seen = []

    @flow(on_crashed=[lambda f, r, s: seen.append(s.type.value)])
    def pipeline():
        raise KeyboardInterrupt

    try:
        pipeline()
    except KeyboardInterrupt:
        pass
    assert seen == ["CRASHED"]
