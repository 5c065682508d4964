"""The parity harness's bookkeeping (tests/parity/programs.py): output format, comparison, expected files."""

from __future__ import annotations

from pathlib import Path

import programs
import pytest


def test_format_output_ends_stdout_with_the_exit_line() -> None:
    assert programs.format_output("a\nb\n", 0) == "a\nb\n[exit 0]\n"
    assert programs.format_output("no newline", 1) == "no newline\n[exit 1]\n"
    assert programs.format_output("", -9) == "[exit -9]\n"


def test_normalise_ignores_trailing_whitespace_but_not_content() -> None:
    assert programs.normalise("x  \ny\t\n\n\n") == programs.normalise("x\ny")
    assert programs.normalise("x\n y\n") != programs.normalise("x\ny\n")
    assert programs.normalise("[exit 0]\n") != programs.normalise("[exit 1]\n")


@pytest.fixture
def parity_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(programs, "PARITY_DIR", tmp_path)
    monkeypatch.setattr(programs, "KNOWN_FAILURES", tmp_path / "known_failures.txt")
    area = tmp_path / "prefect3" / "flows"
    area.mkdir(parents=True)
    (area / "one.py").write_text("print(1)\n")
    (area / "two.py").write_text("print(2)\n")
    (tmp_path / "prefect3" / "stray.py").write_text("")  # not in an area: not a program
    return tmp_path


def test_programs_are_found_per_area_and_sorted(parity_dir: Path) -> None:
    (parity_dir / "prefect1" / "mapping").mkdir(parents=True)
    (parity_dir / "prefect1" / "mapping" / "m.py").write_text("")
    assert programs.discover_programs() == ["prefect1/mapping/m.py", "prefect3/flows/one.py", "prefect3/flows/two.py"]


def test_a_headwater_deviation_wins_over_the_recording(parity_dir: Path) -> None:
    area = parity_dir / "prefect3" / "flows"
    assert programs.expected_file("prefect3/flows/one.py") is None
    (area / "one.out").write_text("1\n[exit 0]\n")
    assert programs.expected_file("prefect3/flows/one.py") == area / "one.out"
    (area / "one.headwater.out").write_text("one\n[exit 0]\n")
    assert programs.expected_file("prefect3/flows/one.py") == area / "one.headwater.out"
    assert programs.recorded_file("prefect3/flows/one.py") == area / "one.out"


def test_known_failures_keep_reasons_and_skip_comments(parity_dir: Path) -> None:
    (parity_dir / "known_failures.txt").write_text(
        "# header comment\n\nprefect3/flows/one.py  # no such thing yet\nprefect3/flows/two.py\n"
    )
    assert programs.read_known_failures() == {
        "prefect3/flows/one.py": "no such thing yet",
        "prefect3/flows/two.py": "no reason given",
    }
