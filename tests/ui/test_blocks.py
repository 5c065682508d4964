"""The blocks pages in Chromium: list, create from the schema's form, edit with secrets
masked (a kept mask keeps the secret), delete; hostile values stay text."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

HOSTILE = '<script>alert("blk")</script><img src=x onerror=alert(1)>'
SECRET = "ui-secret-value-42"


def test_blocks_pages_create_edit_and_delete(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    api = httpx.Client(base_url=ui_server.url + "/api/", timeout=30)
    block_type = api.post("block_types/", json={"name": "Ui Warehouse", "slug": "ui-warehouse",
                                                "description": HOSTILE}).json()
    fields = {"title": "UiWarehouse", "type": "object", "required": ["host"], "secret_fields": ["password"],
              "properties": {"host": {"type": "string", "title": "Host"},
                             "port": {"type": "integer", "title": "Port", "default": 5432},
                             "password": {"type": "string", "title": "Password", "format": "password",
                                          "writeOnly": True}}}
    api.post("block_schemas/", json={"fields": fields, "block_type_id": block_type["id"]}).raise_for_status()

    page.goto(ui_server.url + "/blocks")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Blocks")
    page.locator("select[name=type]").select_option("ui-warehouse")
    page.locator("button", has_text="Next").click()
    expect(page.locator("h1")).to_have_text("New Ui Warehouse")
    expect(page.locator("p.muted").first).to_contain_text("<script>alert")  # the description, as text
    assert page.locator("img[src=x]").count() == 0
    page.locator("#block-name").fill("prod")
    page.locator("input[name='p:host']").fill(HOSTILE)
    page.locator("input[name='p:password']").fill(SECRET)
    page.locator("button", has_text="Save").click()
    row = page.locator("tr[data-block='ui-warehouse/prod']")
    expect(row).to_contain_text("Ui Warehouse")
    stored = api.get("block_types/slug/ui-warehouse/block_documents/name/prod",
                     params={"include_secrets": "true"}).json()
    assert stored["data"] == {"host": HOSTILE, "port": 5432, "password": SECRET}

    row.locator("a", has_text="Edit").click()
    secret_input = page.locator("input[name='p:password']")
    expect(secret_input).to_have_value("********")
    assert SECRET not in page.content()
    expect(page.locator("input[name='p:host']")).to_have_value(HOSTILE)  # a value, not markup
    page.locator("input[name='p:port']").fill("6543")
    snap(page, "blocks")
    page.locator("button", has_text="Save").click()
    expect(page.locator("tr[data-block='ui-warehouse/prod']")).to_be_visible()
    stored = api.get("block_types/slug/ui-warehouse/block_documents/name/prod",
                     params={"include_secrets": "true"}).json()
    assert stored["data"]["port"] == 6543 and stored["data"]["password"] == SECRET

    page.locator("tr[data-block='ui-warehouse/prod'] a", has_text="Edit").click()
    page.locator("button", has_text="Delete").click()
    expect(page.locator("tr[data-block='ui-warehouse/prod']")).to_have_count(0)
    assert api.get("block_types/slug/ui-warehouse/block_documents/name/prod").status_code == 404
    assert not problems.errors
    api.close()


def test_block_forms_refuse_bad_input_and_other_sites(ui_server: UiServer) -> None:
    foreign = httpx.post(ui_server.url + "/blocks/new", data={"type": "secret", "name": "x"},
                         headers={"origin": "https://evil.example"})
    assert foreign.status_code == 403
    missing = httpx.get(ui_server.url + "/blocks/new", params={"type": "none-such"})
    assert missing.status_code == 404 and "none-such" in missing.text
    gone = httpx.post(ui_server.url + "/blocks/edit", data={"id": "none-such"}, headers={"origin": ui_server.url})
    assert gone.status_code == 404
