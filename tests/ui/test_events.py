"""The Events page in Chromium: the state changes of real flow runs, filters by name
prefix, resource and time, new events appearing live (server-sent events), hostile
text shown as text, and a bad time refused with a message."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

HOSTILE = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 1</script>'


def _no_script_ran(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("main img, main [onerror], a[href^='javascript']").count() == 0


def test_events_page_lists_filters_and_follows(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    etl, fails = ui_server.runs["etl"], ui_server.runs["fails"]
    page.goto(ui_server.url + "/events")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Events")
    # Other tests of this package (automations) add events to the shared server, enough
    # to push etl's off the first page: look at the events of etl's run (and its related).
    page.goto(ui_server.url + f"/events?resource=prefect.flow-run.{etl}")
    done = page.locator("tr[data-event]", has=page.locator(f"a[href='/runs/{etl}']")).filter(
        has_text="prefect.flow-run.Completed")
    expect(done).to_have_count(1)
    expect(done.locator("td.related .tag").first).to_contain_text("flow: prefect.flow.")
    snap(page, "events", full_page=False)

    form = page.locator("#events-filter")
    form.locator("input[name=prefix]").fill("prefect.flow-run.")
    form.locator("input[name=resource]").fill(f"prefect.flow-run.{fails}")
    form.locator("button", has_text="Apply").click()
    names = page.locator("#events-table td.event-name")
    expect(names.first).to_have_text("prefect.flow-run.Failed")
    shown = [n for n in names.all_inner_texts() if n != "prefect.flow-run.heartbeat"]
    assert shown == ["prefect.flow-run.Failed", "prefect.flow-run.Running", "prefect.flow-run.Pending"], shown
    expect(page.locator("#events-total")).to_have_text(str(names.count()))

    # a time range before the runs: nothing
    page.goto(ui_server.url + "/events?since=2001-01-01T00:00&until=2001-01-02T00:00")
    expect(page.locator("#events-empty")).to_have_text("No events match.")
    expect(page.locator("#events-live")).to_be_hidden()

    page.goto(ui_server.url + "/events?since=yesterday")
    expect(page.locator("p.error")).to_contain_text("since: expected a time like")

    # live: an event stored after the page opened appears at the top, as text
    page.goto(ui_server.url + "/events?prefix=ui.test.")
    expect(page.locator("#events-empty")).to_be_visible()
    expect(page.locator("#events-live.connected")).to_be_visible()  # the stream is open
    reply = httpx.post(ui_server.url + "/api/events", json=[{
        "event": "ui.test.hello", "resource": {"prefect.resource.id": "ui.thing.1", "prefect.resource.name": HOSTILE},
        "related": [{"prefect.resource.id": f"prefect.flow-run.{etl}", "prefect.resource.role": "flow-run"}],
        "payload": {"html": HOSTILE}}], timeout=30)
    assert reply.status_code == 204, reply.text
    row = page.locator("#events-table tbody tr").first
    expect(row.locator("td.event-name")).to_have_text("ui.test.hello")
    expect(row.locator("td.resource")).to_contain_text("<script>window.__pwned = 1</script>")
    expect(row.locator(f"td.related a[href='/runs/{etl}']")).to_have_count(1)
    expect(page.locator("#events-total")).to_have_text("1")
    row.locator("summary").click()
    expect(row.locator("pre")).to_contain_text("onerror")
    _no_script_ran(page)
    page.reload()  # and the same, rendered by the server
    expect(page.locator("#events-table td.resource").first).to_contain_text("<script>window.__pwned = 1</script>")
    _no_script_ran(page)

    # 60 more: 50 on the first page, the rest on the older page, which does not follow
    batch = [{"event": f"ui.test.n{i:02d}", "resource": {"prefect.resource.id": f"ui.thing.n{i}"},
              "occurred": f"2026-01-01T00:00:{i:02d}Z"} for i in range(60)]
    assert httpx.post(ui_server.url + "/api/events", json=batch, timeout=30).status_code == 204
    page.goto(ui_server.url + "/events?prefix=ui.test.n&since=2026-01-01T00:00")
    expect(page.locator("#events-table tbody tr")).to_have_count(50)
    expect(page.locator("#events-table td.event-name").first).to_have_text("ui.test.n59")
    expect(page.locator("#events-live")).to_be_visible()
    page.locator("#events-next").click()
    page.wait_for_url("**/events?*page=*")
    expect(page.locator("#events-table td.event-name")).to_have_text([f"ui.test.n{i:02d}" for i in range(9, -1, -1)],
                                                                     timeout=20_000)  # a loaded CI machine
    expect(page.locator("#events-live")).to_be_hidden()
    assert not problems.errors, problems.errors
