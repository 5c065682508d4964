"""`/api/automations` on both databases: Prefect's paths and bodies, and bad input
refused with the field named (422), unknown automations 404."""

from __future__ import annotations

import httpx

AUTOMATION = {"name": "watch", "trigger": {"expect": ["order.failed"], "threshold": 2, "within": 60},
              "actions": [{"type": "do-nothing"}], "tags": ["shop"]}


def test_create_read_filter_update_pause_delete(api: httpx.Client) -> None:
    made = api.post("/automations/", json=AUTOMATION)
    assert made.status_code == 201, made.text
    automation_id = made.json()["id"]
    read = api.get(f"/automations/{automation_id}").json()
    assert read["trigger"]["within"] == 60.0 and read["trigger"]["type"] == "event" and read["enabled"] is True
    other = api.post("/automations/", json={**AUTOMATION, "name": "other", "tags": [],
                                            "owner_resource": "prefect.deployment.d1"}).json()
    names = [a["name"] for a in api.post("/automations/filter", json={}).json()]
    assert names == ["other", "watch"]
    shop = api.post("/automations/filter", json={"automations": {"tags": {"all_": ["shop"]}}}).json()
    assert [a["name"] for a in shop] == ["watch"]
    assert api.post("/automations/count", json={"automations": {"name": {"any_": ["watch"]}}}).json() == 1
    assert api.patch(f"/automations/{automation_id}", json={"enabled": False}).status_code == 204
    assert api.get(f"/automations/{automation_id}").json()["enabled"] is False
    replaced = api.put(f"/automations/{automation_id}", json={**AUTOMATION, "description": "new"})
    assert replaced.status_code == 204
    assert api.get(f"/automations/{automation_id}").json()["description"] == "new"
    assert [a["id"] for a in api.get("/automations/related-to/prefect.deployment.d1").json()] == [other["id"]]
    assert api.delete("/automations/owned-by/prefect.deployment.d1").status_code == 202
    assert api.get(f"/automations/{other['id']}").status_code == 404
    assert api.get(f"/automations/{automation_id}/actions").json() == []
    assert api.delete(f"/automations/{automation_id}").status_code == 204
    assert api.delete(f"/automations/{automation_id}").status_code == 404
    assert api.get(f"/automations/{automation_id}").status_code == 404


def test_bad_input_names_the_field(api: httpx.Client) -> None:
    missing = api.post("/automations/", json={"name": "x", "trigger": {"expect": ["a"]}})
    assert missing.status_code == 422 and "actions" in missing.text
    proactive = api.post("/automations/", json={**AUTOMATION, "trigger": {"posture": "Proactive", "within": 3}})
    assert proactive.status_code == 422 and "10 seconds" in proactive.text
    no_deployment = api.post("/automations/", json={**AUTOMATION, "actions": [
        {"type": "run-deployment", "deployment_id": "00000000-0000-0000-0000-000000000001"}]})
    assert no_deployment.status_code == 422
    assert "actions[0].deployment_id: no deployment" in no_deployment.json()["detail"]
    template = api.post("/automations/", json={**AUTOMATION, "actions": [
        {"type": "call-webhook", "block_document_id": "00000000-0000-0000-0000-000000000001"}]})
    assert template.status_code == 422 and "block_document_id" in template.text
    metric = api.post("/automations/", json={**AUTOMATION, "trigger": {
        "type": "metric", "metric": {"name": "lateness", "threshold": 1, "operator": ">"}}})
    assert metric.status_code == 422 and "metric triggers" in metric.text
    unknown = api.post("/automations/", json={**AUTOMATION, "actions": [{"type": "launch-rocket"}]})
    assert unknown.status_code == 422 and "launch-rocket" in unknown.text
    assert api.get("/automations/not-a-uuid").status_code == 422
    assert api.patch("/automations/00000000-0000-0000-0000-000000000001", json={"enabled": True}).status_code == 404
