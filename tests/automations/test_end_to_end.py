"""End to end, on SQLite and PostgreSQL, with a real server process: a flow run fails
-> the automation runs a deployment (its parameters templated from the event) and
calls a webhook on a receiver on 127.0.0.1. The server is restarted in between: the
event it had already acted on fires nothing twice, and a flow run that failed while
it was down (written straight to the database) is acted on when it is back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from support import ServerProcess, child_env, wait_until

from headwater.blocks.webhook import Webhook
from headwater.client.orchestration import SyncPrefectClient
from headwater.core.deployment_schemas import DeploymentCreate
from headwater.core.settings import load_settings
from headwater.events import CallWebhook, EventTrigger, RunDeployment
from headwater.events.schemas.automations import AutomationCore

from .receiver import Receiver

FLOW = """
from headwater import flow

@flow(name="doomed")
def doomed():
    raise ValueError("boom")

if __name__ == "__main__":
    doomed(return_state=True)
"""


def _run_failing_flow(tmp_path: Path, home: Path, **env: str) -> None:
    script = tmp_path / "doomed.py"
    script.write_text(FLOW)
    done = subprocess.run([sys.executable, str(script)], env=child_env(home, HEADWATER_LOGGING_TO_CONSOLE="false",
                                                                       **env),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def _runs_of(client: SyncPrefectClient, deployment_id: str) -> list[Any]:
    from headwater.core.api_schemas import FlowRunFilterRequest

    runs = client._ops().filter_flow_runs(FlowRunFilterRequest(limit=100))
    return [r for r in runs if str(r.deployment_id or "") == deployment_id]


def test_failed_run_runs_a_deployment_and_calls_a_webhook_across_a_restart(store_url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = ServerProcess(tmp_path / "server", HEADWATER_DATABASE_URL=store_url,
                           HEADWATER_LOGGING_TO_CONSOLE="false").start()
    with Receiver() as receiver, SyncPrefectClient(load_settings(home=str(home), api_url=server.url)) as client:
        try:
            ops = client._ops()
            flow_id = ops.ensure_flow("doomed").id
            deployment = ops.upsert_deployment(DeploymentCreate(name="rescue", flow_name="rescue",
                                                                entrypoint="rescue.py:rescue"))
            hook = Webhook(url=f"{receiver.url}/hook")
            hook.save("on-failure", client=client)
            automation_id = client.create_automation(AutomationCore(
                name="rescue failures",
                trigger=EventTrigger(expect={"prefect.flow-run.Failed"},
                                     match_related={"prefect.resource.id": f"prefect.flow.{flow_id}"}),
                actions=[
                    RunDeployment(deployment_id=deployment.id,
                                  parameters={"failed_run": "{{ event.resource.id }}",
                                              "name": "{{ flow_run.name }}"}),
                    CallWebhook(block_document_id=hook._block_document_id,
                                payload='{"failed": "{{ event.resource.id }}", "state": "{{ event.event }}"}'),
                ]))

            _run_failing_flow(tmp_path, home, HEADWATER_API_URL=server.url)
            first = receiver.wait_for_calls(1, 30)
            body = json.loads(first[0][2])
            assert body["state"] == "prefect.flow-run.Failed"
            assert body["failed"].startswith("prefect.flow-run.")
            wait_until(lambda: len(_runs_of(client, deployment.id)) == 1, 30, "the deployment's run")
            run = _runs_of(client, deployment.id)[0]
            assert run.parameters["failed_run"] == body["failed"]
            assert run.parameters["name"]  # the failed run's name, rendered from flow_run

            # Restart: the event acted on is read again (the cursor looks back), nothing fires
            # twice; a run that fails while the server is down is acted on once it is back.
            server.stop()
            _run_failing_flow(tmp_path, home, HEADWATER_DATABASE_URL=store_url)
            server.start()
            second = receiver.wait_for_calls(2, 30)
            assert json.loads(second[1][2])["failed"] != body["failed"]
            wait_until(lambda: len(_runs_of(client, deployment.id)) == 2, 30, "the second run of the deployment")
            assert len(receiver.calls) == 2
            assert len(_runs_of(client, deployment.id)) == 2
            actions = ops.automation_actions(str(automation_id))
            assert sorted(a.action_type for a in actions) == ["call-webhook", "call-webhook",
                                                              "run-deployment", "run-deployment"]
            wait_until(lambda: all(a.status == "succeeded" for a in ops.automation_actions(str(automation_id))),
                       30, "the actions to be recorded as succeeded")
        finally:
            server.stop()
