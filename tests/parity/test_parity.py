"""The parity suite: each program under prefect3/ and prefect1/ prints on headwater what it printed on Prefect.

One case per program (id = its path under tests/parity). The program runs with its
imports renamed (rename.py) and its stdout + ``[exit N]`` must equal the expected
file: ``<name>.headwater.out`` if present (a documented deviation), else ``<name>.out``
(recorded on the real Prefect by scripts/record-parity). A program with neither fails.

Programs listed in known_failures.txt still run, as ``xfail(strict=True)``: one that
starts to pass fails the suite until its line is removed, so the list only shrinks.
See tests/parity/README.md.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import pytest
from programs import discover_programs, expected_file, normalise, read_known_failures

if TYPE_CHECKING:
    from conftest import ParityRunner

_PROGRAMS = discover_programs()
_KNOWN_FAILURES = read_known_failures()


def _case(program: str) -> object:
    reason = _KNOWN_FAILURES.get(program)
    # A program without an expected file fails as itself, never as an expected failure.
    if reason is None or expected_file(program) is None:
        return pytest.param(program, id=program)
    return pytest.param(program, id=program, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("program", [_case(p) for p in _PROGRAMS])
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
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{expected_path.name} (expected)",
                tofile="headwater (actual)",
            )
        )
        stderr_tail = "\n".join(run.stderr.rstrip().splitlines()[-25:])
        pytest.fail(
            f"{program}: stdout differs from {expected_path.name} (ran in {run.workdir})\n{diff}\n"
            f"--- stderr (last 25 lines) ---\n{stderr_tail}",
            pytrace=False,
        )


def test_known_failures_name_existing_programs() -> None:
    stale = sorted(set(_KNOWN_FAILURES) - set(_PROGRAMS))
    assert not stale, f"known_failures.txt names programs that do not exist (remove these lines): {stale}"


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
