"""The variables page in Chromium: list, create, edit, delete; hostile values stay text."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

HOSTILE = '<script>alert("var")</script><img src=x onerror=alert(1)>'


def test_variables_page_creates_edits_and_deletes(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    api = httpx.Client(base_url=ui_server.url + "/api/", timeout=30)
    api.post("variables/", json={"name": "ui_region", "value": "eu-west-1", "tags": ["config", "prod"]})

    page.goto(ui_server.url + "/variables")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Variables")
    expect(page.locator("tr[data-variable=ui_region]")).to_contain_text('"eu-west-1"')

    create = page.locator("form[action='/variables']")
    create.locator("input[name=name]").fill("ui_sizes")
    create.locator("textarea[name=value]").fill('{"small": 1, "large": [10, 20]}')
    create.locator("input[name=tags]").fill("numbers")
    create.locator("button", has_text="Create").click()
    expect(page.locator("tr[data-variable=ui_sizes]")).to_contain_text('"large": [10, 20]')
    snap(page, "variables")
    assert api.get("variables/name/ui_sizes").json()["value"] == {"small": 1, "large": [10, 20]}

    api.post("variables/", json={"name": "ui_hostile", "value": {"html": HOSTILE}, "tags": [HOSTILE[:40]]})
    page.reload()
    expect(page.locator("tr[data-variable=ui_hostile]")).to_contain_text("<script>alert")  # text, not run
    assert page.locator("tr[data-variable=ui_hostile] img").count() == 0

    row = page.locator("tr[data-variable=ui_region]")
    row.locator("summary").click()
    row.locator("textarea[name=value]").fill("us-east-1")
    row.locator("input[name=tags]").fill("config")
    row.locator("button", has_text="Save").click()
    expect(page.locator("tr[data-variable=ui_region]")).to_contain_text('"us-east-1"')
    stored = api.get("variables/name/ui_region").json()
    assert (stored["value"], stored["tags"]) == ("us-east-1", ["config"])

    row = page.locator("tr[data-variable=ui_sizes]")
    row.locator("summary").click()
    row.locator("button", has_text="Delete").click()
    expect(page.locator("tr[data-variable=ui_sizes]")).to_have_count(0)
    assert api.get("variables/name/ui_sizes").status_code == 404

    # Mistakes come back as one line on the page, the form kept.
    create = page.locator("form[action='/variables']")
    create.locator("input[name=name]").fill("ui_region")
    create.locator("textarea[name=value]").fill("1")
    create.locator("button", has_text="Create").click()
    expect(page.locator("p.error")).to_contain_text("'ui_region' exists already")
    expect(page.locator("form[action='/variables'] input[name=name]")).to_have_value("ui_region")
    assert not [e for e in problems.errors if "422" not in e]
    for name in ("ui_region", "ui_hostile"):
        api.delete(f"variables/name/{name}")
    api.close()


def test_variable_forms_refuse_bad_names_and_other_sites(ui_server: UiServer) -> None:
    bad = httpx.post(ui_server.url + "/variables", data={"name": "Bad Name", "value": "1"},
                     headers={"origin": ui_server.url})
    assert bad.status_code == 422 and "is not valid" in bad.text and "Bad Name" in bad.text
    foreign = httpx.post(ui_server.url + "/variables", data={"name": "sneaky", "value": "1"},
                         headers={"origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert httpx.get(ui_server.url + "/api/variables/name/sneaky").status_code == 404
    gone = httpx.post(ui_server.url + "/variables/edit", data={"name": "none-such", "value": "1"},
                      headers={"origin": ui_server.url})
    assert gone.status_code == 404
