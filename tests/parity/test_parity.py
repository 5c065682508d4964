"""The parity suite: each program under prefect3/ and prefect1/ prints on headwater what it printed on Prefect.

One case per program (id = its path under tests/parity). The program runs with its
imports renamed (rename.py) and its stdout + ``[exit N]`` must equal the expected
file: ``<name>.headwater.out`` if present (a documented deviation), else ``<name>.out``
(recorded on the real Prefect by scripts/record-parity). A program with neither fails.

Programs listed in known_failures.txt still run. One that fails exactly as recorded (its
diff equals ``<name>.known-diff``, beside it) is reported as xfailed; one that fails any
other way fails the suite (a new breakage in a known-failing program shows), and one
that starts to pass fails it too, until its line is removed, so the list only shrinks.
``HEADWATER_PARITY_RECORD_KNOWN=1`` writes each listed program's current diff as its
``.known-diff`` (review it before committing). See tests/parity/README.md.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from programs import PARITY_DIR, discover_programs, expected_file, normalise, read_known_failures

if TYPE_CHECKING:
    from conftest import ParityRunner

_PROGRAMS = discover_programs()
_KNOWN_FAILURES = read_known_failures()


def known_diff_file(program: str) -> Path:
    """Where the recorded diff of a known-failing program is: ``<name>.known-diff`` beside it."""
    return (PARITY_DIR / program).with_suffix(".known-diff")


@pytest.mark.parametrize("program", _PROGRAMS)
def test_program_matches_prefect(program: str, parity_runner: ParityRunner) -> None:
    expected_path = expected_file(program)
    if expected_path is None:
        pytest.fail(
            f"{program} has no expected output: record it on Prefect with\n"
            f"    scripts/record-parity --only tests/parity/{program}\n"
            "(or write a reviewed <name>.headwater.out for a documented deviation)",
            pytrace=False,
        )
    run = parity_runner.result(program)
    expected = normalise(expected_path.read_text(encoding="utf-8"))
    actual = normalise(run.output)
    reason = _KNOWN_FAILURES.get(program)
    if actual == expected:
        if reason is not None:
            pytest.fail(f"{program} now matches Prefect: remove its line from known_failures.txt "
                        f"(and {known_diff_file(program).name})", pytrace=False)
        return
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{expected_path.name} (expected)",
            tofile="headwater (actual)",
        )
    )
    stderr_tail = "\n".join(run.stderr.rstrip().splitlines()[-25:])
    if reason is not None:
        _check_known_failure(program, reason, diff, stderr_tail)
    pytest.fail(
        f"{program}: stdout differs from {expected_path.name} (ran in {run.workdir})\n{diff}\n"
        f"--- stderr (last 25 lines) ---\n{stderr_tail}",
        pytrace=False,
    )


def _check_known_failure(program: str, reason: str, diff: str, stderr_tail: str) -> None:
    """xfail if `diff` is the recorded one; otherwise fail, showing how it changed."""
    recorded_path = known_diff_file(program)
    if os.environ.get("HEADWATER_PARITY_RECORD_KNOWN") == "1":
        recorded_path.write_text(diff, encoding="utf-8")
    if not recorded_path.is_file():
        pytest.fail(f"{program} is a known failure without a recorded diff: write {recorded_path.name} with "
                    "HEADWATER_PARITY_RECORD_KNOWN=1 ./scripts/test tests/parity -k <name>, and review it",
                    pytrace=False)
    recorded = recorded_path.read_text(encoding="utf-8")
    if diff == recorded:
        pytest.xfail(reason)
    change = "".join(difflib.unified_diff(recorded.splitlines(keepends=True), diff.splitlines(keepends=True),
                                          fromfile=f"{recorded_path.name} (the known failure)",
                                          tofile="this run's diff"))
    pytest.fail(f"{program} (a known failure: {reason}) now fails differently than recorded:\n{change}\n"
                f"--- stderr (last 25 lines) ---\n{stderr_tail}", pytrace=False)


def test_known_failures_name_existing_programs() -> None:
    stale = sorted(set(_KNOWN_FAILURES) - set(_PROGRAMS))
    assert not stale, f"known_failures.txt names programs that do not exist (remove these lines): {stale}"
    orphans = sorted(str(p.relative_to(PARITY_DIR)) for p in PARITY_DIR.glob("prefect[13]/*/*.known-diff")
                     if str(p.relative_to(PARITY_DIR).with_suffix(".py")) not in _KNOWN_FAILURES)
    assert not orphans, f"recorded diffs of programs no longer in known_failures.txt (delete them): {orphans}"


def test_programs_follow_the_layout() -> None:
    misnamed = [p for p in _PROGRAMS if p.rsplit("/", 1)[-1].startswith("test_")]
    assert not misnamed, f"parity programs must not start with test_ (pytest would collect them): {misnamed}"


def test_every_deviation_is_documented() -> None:
    """A `.headwater.out` is a reviewed difference from Prefect: the migration guide names it."""
    from pathlib import Path

    here = Path(__file__).parent
    guide = (here.parents[1] / "docs" / "migrating-from-prefect.md").read_text()
    deviations = sorted(str(p.relative_to(here)) for p in here.glob("prefect[13]/*/*.headwater.out"))
    assert deviations, "no .headwater.out found: the glob is wrong"
    undocumented = [d for d in deviations if d.removesuffix(".headwater.out") not in guide]
    assert not undocumented, f"deviations not named in docs/migrating-from-prefect.md: {undocumented}"
