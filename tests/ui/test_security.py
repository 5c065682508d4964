"""Names, parameters and log lines are text; with an API key, nothing without logging in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

KEY = "s3cret-key-for-ui"


def test_html_in_names_parameters_and_logs_is_shown_as_text(ui_server: UiServer, page: Any,
                                                            problems: PageProblems) -> None:
    run_id = ui_server.runs["xss"]
    for path in ("/", "/runs", f"/runs/{run_id}", "/runs?flow=%3Cscript%3Ealert(1)%3C%2Fscript%3E"):
        page.goto(ui_server.url + path)
        page.wait_for_load_state("load")
    page.goto(f"{ui_server.url}/runs/{run_id}")
    expect(page.locator("h1")).to_contain_text("<script>alert(1)</script>")  # the flow run's name
    expect(page.locator(".crumbs")).to_contain_text("""xss "quoted" 'flow'""")
    expect(page.locator("#parameters")).to_contain_text('"<i>hi</i>"')
    expect(page.locator("#logs")).to_contain_text('<img src=x onerror="alert(2)"> and <script>alert(3)</script>')
    assert page.locator("#logs img, #logs script, #parameters i, h1 script, main script").count() == 0
    expect(page.locator("#timeline rect.bar")).to_have_count(1)
    page.locator("#timeline rect.bar").hover()
    expect(page.locator("#hovercard strong")).to_contain_text("<b>bold task</b>")
    assert page.locator("#hovercard b").count() == 0
    page.locator("#task-table a").first.click()
    expect(page.locator("h1")).to_contain_text("<b>bold task</b>")
    page.goto(ui_server.url + "/runs/%3Cscript%3Ealert(4)%3C%2Fscript%3E")
    expect(page.locator("main p").first).to_contain_text("<script>alert(4)</script>")
    assert not problems.dialogs
    assert not [e for e in problems.errors if "status of 404" not in e]  # the last page is a 404 on purpose


def test_pages_send_a_content_security_policy(ui_server: UiServer) -> None:
    response = httpx.get(ui_server.url + "/runs")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"


def test_actions_from_another_site_are_refused(ui_server: UiServer) -> None:
    run_id = ui_server.runs["fails"]
    response = httpx.post(f"{ui_server.url}/ui/api/flow-runs/{run_id}/retry", headers={"origin": "http://evil.test"})
    assert response.status_code == 403
    assert httpx.get(f"{ui_server.url}/api/flow_runs/{run_id}").json()["state"]["type"] == "FAILED"


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    server = UiServer(Path(tmp_path_factory.mktemp("ui-locked")), HEADWATER_API_KEY=KEY).start()
    try:
        server.runs["etl"] = server.run_flow("etl")
        yield server
    finally:
        server.stop()


def test_with_an_api_key_nothing_is_served_before_login(locked_server: UiServer, page: Any) -> None:
    run_id = locked_server.runs["etl"]
    for path in ("/", "/runs", f"/runs/{run_id}", "/concurrency", "/no/such/page"):
        response = httpx.get(locked_server.url + path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login")
    for path in ("/ui/api/summary", f"/ui/api/flow-runs/{run_id}/live", f"/ui/api/flow-runs/{run_id}/views"):
        assert httpx.get(locked_server.url + path).status_code == 401, path
    assert httpx.post(f"{locked_server.url}/ui/api/flow-runs/{run_id}/cancel").status_code == 401
    assert httpx.get(f"{locked_server.url}/api/flow_runs/{run_id}").status_code == 401
    wrong_cookie = httpx.get(locked_server.url + "/runs", cookies={"headwater_session": KEY}, follow_redirects=False)
    assert wrong_cookie.status_code == 303

    page.goto(f"{locked_server.url}/runs/{run_id}")
    expect(page).to_have_url(f"{locked_server.url}/login?next=/runs/{run_id}")
    snap(page, "login")
    page.fill("#key", "not-the-key")
    page.locator("button", has_text="Log in").click()
    expect(page.locator("p.error")).to_have_text("That is not the server's API key.")
    page.fill("#key", KEY)
    page.locator("button", has_text="Log in").click()
    expect(page).to_have_url(f"{locked_server.url}/runs/{run_id}")
    expect(page.locator("#run-state .state")).to_have_text("Completed")
    cookie = next(c for c in page.context.cookies() if c["name"] == "headwater_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert KEY not in cookie["value"]
    # The live endpoints answer the logged-in page; logging out ends the session.
    expect(page.locator("#timeline rect.bar")).to_have_count(8)
    page.goto(locked_server.url + "/runs")
    page.locator("button", has_text="Log out").click()
    expect(page).to_have_url(f"{locked_server.url}/login")
    page.goto(locked_server.url + "/runs")
    expect(page).to_have_url(f"{locked_server.url}/login?next=/runs")
