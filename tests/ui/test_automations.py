"""The automations page in Chromium: create "when a flow run of X fails, call a webhook /
run deployment Y" with the form, see it act (the actions taken, on the page), pause,
resume and delete; a mistake comes back as one line with the form kept."""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import expect

from headwater.blocks.webhook import Webhook
from headwater.client.orchestration import SyncPrefectClient
from headwater.core.settings import load_settings

from automations.receiver import Receiver
from .conftest import PageProblems, UiServer, snap


def test_automations_page_creates_acts_pauses_and_deletes(ui_server: UiServer, page: Any, problems: PageProblems,
                                                          tmp_path: Any) -> None:
    api = httpx.Client(base_url=ui_server.url + "/api/", timeout=30)
    made = api.post("deployments/", json={"name": "ui-rescue", "flow_name": "etl", "entrypoint": "ui_flows.py:etl"})
    assert made.status_code in (200, 201), made.text
    deployment_id = made.json()["id"]
    with Receiver() as receiver, SyncPrefectClient(load_settings(home=str(tmp_path / "home"),
                                                                 api_url=ui_server.url + "/api")) as client:
        Webhook(url=f"{receiver.url}/ui-hook").save("ui-hook", client=client, _sync=True)  # Playwright runs a loop

        page.goto(ui_server.url + "/automations")
        expect(page.locator("nav a[aria-current=page]")).to_have_text("Automations")
        form = page.locator("form#new-automation")
        form.locator("select[name=flow]").select_option("fails")
        form.locator("select[name=state]").select_option("Failed")
        form.locator("select[name=then]").select_option("run-deployment")
        form.locator("button", has_text="Create").click()  # no deployment chosen: refused, form kept
        expect(page.locator("p.error")).to_contain_text("deployment_id is required")
        expect(page.locator("form#new-automation select[name=flow]")).to_have_value("fails")

        form = page.locator("form#new-automation")
        form.locator("select[name=deployment]").select_option(deployment_id)
        form.locator("input[name=name]").fill("rerun etl")
        form.locator("button", has_text="Create").click()
        expect(page.locator("tr[data-automation='rerun etl']")).to_contain_text("Run deployment")

        form = page.locator("form#new-automation")
        form.locator("select[name=flow]").select_option("fails")
        form.locator("select[name=then]").select_option("call-webhook")
        form.locator("select[name=webhook]").select_option(label="ui-hook")
        form.locator("button", has_text="Create").click()
        row = page.locator("tr[data-automation='fails failed: call webhook']")
        expect(row).to_contain_text("Reactive: expecting 1 of {'prefect.flow-run.Failed'}")

        failed_run = ui_server.run_flow("fails")
        body = json.loads(receiver.wait_for_calls(1, 30)[0][2])
        assert body == {"flow_run": f"prefect.flow-run.{failed_run}", "state": "prefect.flow-run.Failed"}
        for name in ("rerun etl", "fails failed: call webhook"):
            for _ in range(100):  # the action's row is written when it ends
                page.reload()
                if "succeeded" in page.locator(f"tr[data-automation='{name}'] td.taken").inner_text():
                    break
                page.wait_for_timeout(100)
            expect(page.locator(f"tr[data-automation='{name}'] td.taken")).to_contain_text("succeeded")
        runs = api.post("flow_runs/filter", json={"limit": 50}).json()
        assert [r for r in runs if r.get("deployment_id") == deployment_id]
        snap(page, "automations")

        row = page.locator("tr[data-automation='rerun etl']")
        row.locator("button", has_text="Pause").click()
        expect(page.locator("tr[data-automation='rerun etl']")).to_contain_text("paused")
        page.locator("tr[data-automation='rerun etl']").locator("button", has_text="Resume").click()
        expect(page.locator("tr[data-automation='rerun etl']")).to_contain_text("active")
        for name in ("rerun etl", "fails failed: call webhook"):
            page.locator(f"tr[data-automation='{name}']").locator("button", has_text="Delete").click()
            expect(page.locator(f"tr[data-automation='{name}']")).to_have_count(0)
        assert api.post("automations/filter", json={}).json() == []
    assert not [e for e in problems.errors if "422" not in e]
    api.close()
