"""examples/rate_limited_stars.py: the tutorial's rate_limit step, run as users run it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from test_examples import HEADWATER_CLI, assert_succeeded, cli_json, flow_run_line, isolated_env, run_example


def test_rate_limited_stars_creates_its_limit_and_takes_a_slot_per_fetch(tmp_path: Path) -> None:
    out = assert_succeeded(run_example("rate_limited_stars.py", tmp_path))

    for line in (
        "PrefectHQ/prefect: 17320 stars",
        "pydantic/pydantic: 186319 stars",
        "huggingface/transformers: 134849 stars",
    ):
        assert flow_run_line(out, line), f"{line!r} missing:\n{out}"
    assert flow_run_line(out, "Finished in state Completed()"), out
    assert "waiting for" not in out
    (limit,) = cli_json(tmp_path, "gcl", "ls", "--output", "json")
    assert (limit["name"], limit["limit"], limit["slot_decay_per_second"]) == ("github-api", 60, 0.016)
    assert 2.5 < limit["slots_in_use"] <= 3  # three fetches, decaying at 0.016 a second since


def test_rate_limited_stars_waits_visibly_on_a_full_limit(tmp_path: Path) -> None:
    # A limit created beforehand wins over the example's: 2 at once, then 5 a second.
    created = subprocess.run(
        [str(HEADWATER_CLI), "gcl", "create", "github-api", "--limit", "2", "--slot-decay-per-second", "5"],
        env=isolated_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert created.returncode == 0, created.stderr

    out = assert_succeeded(run_example("rate_limited_stars.py", tmp_path))

    assert out.count("waiting for 1 slot of 'github-api' (2/2 in use)") == 1, out
    assert flow_run_line(out, "huggingface/transformers: 134849 stars"), out
