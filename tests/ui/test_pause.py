"""The Resume form of a paused run in Chromium: generated from the input's schema,
checked in the browser (bounds) and on the server (a pattern the browser does not
check), the run staying paused on a refusal; valid input resumes the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap, wait_until

FLOWS = Path(__file__).with_name("pause_flows.py")


def test_resume_form_checks_input_and_resumes(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    with subprocess.Popen([sys.executable, str(FLOWS)], env=ui_server.flow_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            run_id = proc.stdout.readline().strip()
            assert run_id, proc.stderr.read() if proc.stderr else ""
            fill_and_resume(ui_server, page, run_id)
            assert proc.stdout.readline().split() == ["order", "True", "3", "ada", "letter"]
            assert proc.wait(60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    assert not [e for e in problems.errors if "422" not in e], problems.errors


def fill_and_resume(ui_server: UiServer, page: Any, run_id: str) -> None:
    with httpx.Client(base_url=ui_server.url + "/api/", timeout=30) as api:
        drive_form(ui_server, page, run_id, api)


def drive_form(ui_server: UiServer, page: Any, run_id: str, api: httpx.Client) -> None:

    def state() -> tuple[str, str]:
        current = api.get(f"flow_runs/{run_id}").json()["state"] or {}
        return current.get("type", ""), current.get("name", "")

    def schema_saved() -> bool:
        found = api.post(f"flow_runs/{run_id}/input/filter", json={"prefix": "paused-1-schema"}).json()
        return state()[0] == "PAUSED" and bool(found)

    wait_until(schema_saved, 60, "the run to pause for input")
    page.goto(f"{ui_server.url}/runs/{run_id}")
    form = page.locator("#resume-form")
    expect(page.locator("#resume-description")).to_contain_text("Check the proof")
    expect(form.locator("input[name='p:copies']")).to_have_attribute("max", "10")
    expect(form.locator("select[name='p:paper'] option[value=letter]")).to_have_count(1)
    snap(page, "resume-form")

    # The browser refuses a value out of bounds before anything is sent.
    form.locator("input[name='p:copies']").fill("12")
    form.locator("input[name='p:reviewer']").fill("Ada Lovelace")
    form.locator("#resume-button").click()
    expect(form.locator("[data-error-for='p:copies']")).not_to_be_empty()
    assert page.url.endswith(f"/runs/{run_id}")
    assert state() == ("PAUSED", "Paused")

    # The server refuses what the browser does not check (the pattern), naming the field.
    form.locator("input[name='p:copies']").fill("3")
    form.locator("#resume-button").click()
    expect(page.locator("[data-error-for='p:reviewer']")).to_contain_text("does not match")
    expect(page.locator("#resume-form input[name='p:reviewer']")).to_have_value("Ada Lovelace")
    assert state() == ("PAUSED", "Paused")
    snap(page, "resume-form-refused")

    form = page.locator("#resume-form")
    form.locator("input[name='p:approved']").check()
    form.locator("input[name='p:reviewer']").fill("ada")
    form.locator("select[name='p:paper']").select_option("letter")
    form.locator("#resume-button").click()
    page.wait_for_url(f"{ui_server.url}/runs/{run_id}")
    wait_until(lambda: state()[0] in ("RUNNING", "COMPLETED"), 30, "the run to go on")
    expect(page.locator("#resume-form")).to_have_count(0)
