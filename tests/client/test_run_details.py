"""What the client's runs and states carry beside their names: a task run's inputs
(`task_inputs`), a state's `state_details` and a run's `empirical_policy`, shaped as Prefect's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from headwater.client.schemas.objects import (
    Constant,
    FlowRunPolicy,
    FlowRunResult,
    Parameter,
    RunType,
    StateDetails,
    TaskRunPolicy,
    TaskRunResult,
)
from headwater.states import Scheduled

FLOW = textwrap.dedent('''
    import json
    from headwater import flow, task

    @task
    def a():
        return 1

    @task
    def c():
        return 5

    @task(cache_key_fn=lambda context, parameters: "k-{key}", persist_result=True)
    def b(x, y, z, w=None):
        return x

    @flow(name={flow_name!r})
    def f(p: int = 4):
        fa = a.submit()
        fc = c.submit()
        fb = b.submit(fa, p, 3, w=[fa.result(), 7], wait_for=[fc])
        fb.wait()
        return json.dumps({{"a": str(fa.task_run_id), "b": str(fb.task_run_id), "c": str(fc.task_run_id)}})

    print(f())
''')


def _run_flow(tmp_path: Path, transport_env: dict[str, str], flow_name: str) -> dict[str, UUID]:
    script = tmp_path / "flow.py"
    script.write_text(FLOW.format(flow_name=flow_name, key=flow_name))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env["HEADWATER_HOME"] = str(tmp_path / "home")  # the client fixture's home
    env["HEADWATER_LOGGING_TO_CONSOLE"] = "false"
    env.update(transport_env)  # the same server or database as the client's
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return {name: UUID(value) for name, value in json.loads(done.stdout.splitlines()[-1]).items()}


def test_task_inputs_state_details_and_policies(client: SyncPrefectClient, transport_env: dict[str, str],
                                               flow_name: str, tmp_path: Path) -> None:
    ids = _run_flow(tmp_path, transport_env, flow_name)
    b = client.read_task_run(ids["b"])
    # As on Prefect: the task run that fed `x`, the one waited for under `wait_for`.
    assert b.task_inputs == {"x": [TaskRunResult(id=ids["a"])], "wait_for": [TaskRunResult(id=ids["c"])]}
    assert b.task_inputs["x"][0].input_type == "task_run"
    assert client.read_task_run(ids["a"]).task_inputs == {}

    flow_run_id = b.flow_run_id
    assert flow_run_id is not None
    listed = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    assert {t.id: t.task_inputs for t in listed}[ids["b"]] == b.task_inputs

    assert b.state is not None
    details = b.state.state_details  # type: ignore[attr-defined]  # the client's states carry it
    assert isinstance(details, StateDetails)
    assert (details.flow_run_id, details.task_run_id) == (flow_run_id, ids["b"])
    assert details.cache_key is not None and details.to_run_result(RunType.TASK_RUN) == TaskRunResult(id=ids["b"])
    states = client.read_task_run_states(ids["b"])
    assert [s.state_details.task_run_id for s in states] == [ids["b"]] * len(states)  # type: ignore[attr-defined]

    flow_run = client.read_flow_run(flow_run_id)
    assert flow_run.state is not None
    assert flow_run.state.state_details.flow_run_id == flow_run_id  # type: ignore[attr-defined]
    assert flow_run.state.state_details.task_run_id is None  # type: ignore[attr-defined]
    assert all(s.state_details.flow_run_id == flow_run_id  # type: ignore[attr-defined]
               for s in client.read_flow_run_states(flow_run_id))
    # headwater records no retry options per run: Prefect's defaults.
    assert flow_run.empirical_policy == FlowRunPolicy() and b.empirical_policy == TaskRunPolicy()


def test_a_scheduled_state_carries_its_time(client: SyncPrefectClient, flow_name: str) -> None:
    due = datetime(2030, 1, 1, tzinfo=timezone.utc)
    run = client.create_flow_run(flow_name, state=Scheduled(scheduled_time=due.isoformat()))
    state = client.read_flow_run(run.id).state
    assert state is not None
    assert state.state_details.scheduled_time == due  # type: ignore[attr-defined]
    assert state.state_details.to_run_result(RunType.FLOW_RUN) == FlowRunResult(id=run.id)  # type: ignore[attr-defined]


def test_models_are_shaped_as_prefect_s() -> None:
    assert Parameter(name="p").input_type == "parameter" and Constant(type="int").input_type == "constant"
    policy = TaskRunPolicy(max_retries=2, retry_delay_seconds=3)  # Prefect's deprecated names still count
    assert (policy.retries, policy.retry_delay) == (2, 3)
    assert FlowRunPolicy(retries=1, retry_delay=3).pause_keys == set()
    assert StateDetails(cache_expiration=datetime.now(timezone.utc) + timedelta(days=1)).untrackable_result is False
