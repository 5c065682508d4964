"""The parity programs and their expected outputs: shared by the test and scripts/record-parity.

Plain Python (no pytest import), so the recorder can use it from any interpreter.

Layout (tests/parity/README.md): ``prefect3/<area>/<name>.py`` and
``prefect1/<area>/<name>.py``; beside each, ``<name>.out`` recorded on Prefect and,
for a reviewed deviation, a hand-written ``<name>.headwater.out``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "KNOWN_FAILURES",
    "PARITY_DIR",
    "PROGRAM_ROOTS",
    "discover_programs",
    "expected_file",
    "format_output",
    "normalise",
    "read_known_failures",
    "recorded_file",
]

PARITY_DIR = Path(__file__).resolve().parent
PROGRAM_ROOTS = ("prefect3", "prefect1")
KNOWN_FAILURES = PARITY_DIR / "known_failures.txt"


def discover_programs() -> list[str]:
    """Every program, as its path relative to tests/parity (``prefect3/flows/basic.py``), sorted."""
    found: list[str] = []
    for root in PROGRAM_ROOTS:
        base = PARITY_DIR / root
        if base.is_dir():
            found.extend(p.relative_to(PARITY_DIR).as_posix() for p in base.glob("*/*.py"))
    return sorted(found)


def recorded_file(program: str) -> Path:
    """Where Prefect's output of ``program`` is recorded: ``<name>.out`` beside it."""
    return (PARITY_DIR / program).with_suffix(".out")


def expected_file(program: str) -> Path | None:
    """``<name>.headwater.out`` when present (a documented deviation), else ``<name>.out``, else None."""
    deviation = (PARITY_DIR / program).with_suffix(".headwater.out")
    for candidate in (deviation, recorded_file(program)):
        if candidate.is_file():
            return candidate
    return None


def read_known_failures() -> dict[str, str]:
    """known_failures.txt as {program path: reason}; blank lines and ``#`` comment lines are ignored."""
    known: dict[str, str] = {}
    if not KNOWN_FAILURES.is_file():
        return known
    for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        path, _, reason = line.partition("#")
        path = path.strip()
        if path:
            known[path] = reason.strip() or "no reason given"
    return known


def format_output(stdout: str, returncode: int) -> str:
    """stdout followed by one ``[exit N]`` line: the format of every expected file."""
    if stdout and not stdout.endswith("\n"):
        stdout += "\n"
    return f"{stdout}[exit {returncode}]\n"


def normalise(text: str) -> str:
    """Trailing whitespace stripped per line and trailing blank lines dropped, for comparison."""
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n") + "\n"
