"""Caching across real processes: each run of the job is a new `python` process."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from headwater.results import open_storage, read_result

from .helpers import SCRIPTS, call_count, log_lines, run_job, start_job

CACHED = "Finished in state Cached(type=COMPLETED)"
COMPLETED = "Finished in state Completed()"


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    return tmp_path / "calls.txt"


@pytest.fixture
def job_home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def records(home: Path) -> list[Path]:
    return sorted(p for p in (home / "storage").rglob("*") if p.is_file() and ".locks" not in p.parts)


def test_a_second_run_in_a_new_process_returns_the_stored_result(job_home, calls):
    first, first_log = run_job(job_home, calls, "4")
    second, second_log = run_job(job_home, calls, "4")

    assert first == second == 41
    assert call_count(calls) == 1
    assert COMPLETED in log_lines(first_log, "INFO")
    assert CACHED in log_lines(second_log, "INFO")
    assert len(records(job_home)) == 1


def test_other_inputs_in_a_new_process_are_computed(job_home, calls):
    run_job(job_home, calls, "4")
    result, log = run_job(job_home, calls, "5")

    assert result == 52 and call_count(calls) == 2
    assert CACHED not in log_lines(log)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_record_is_computed_again_with_a_warning(job_home, calls, damage):
    run_job(job_home, calls, "4")
    (record,) = records(job_home)
    data = record.read_bytes()
    if damage == "truncate":
        record.write_bytes(data[:-3])
    elif damage == "flip":
        record.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    elif damage == "garbage":
        record.write_bytes(b"\x00not a record\xff" * 5)
    else:
        record.write_bytes(b"")

    result, log = run_job(job_home, calls, "4")

    assert result == 42, "the damaged record must not be read as a hit"
    warnings = log_lines(log, "WARNING")
    assert len(warnings) == 1 and warnings[0].startswith(f"Cached result at {record} cannot be used"), log
    assert warnings[0].endswith("computing it again")
    assert COMPLETED in log_lines(log, "INFO")
    # The record was written anew, whole: the next process hits it.
    result, log = run_job(job_home, calls, "4")
    assert result == 42 and CACHED in log_lines(log, "INFO")


def test_an_expired_record_is_computed_again_with_a_warning(job_home, calls):
    run_job(job_home, calls, "4", "--task", "compute_briefly")
    result, log = run_job(job_home, calls, "4", "--task", "compute_briefly")

    assert result == 42 and call_count(calls) == 2
    (warning,) = log_lines(log, "WARNING")
    assert " expired at " in warning and warning.endswith("computing it again")


def test_refresh_cache_setting_recomputes_and_overwrites(job_home, calls):
    run_job(job_home, calls, "4")
    refreshed, log = run_job(job_home, calls, "4", HEADWATER_REFRESH_CACHE="true")
    assert refreshed == 42 and COMPLETED in log_lines(log, "INFO")

    cached, log = run_job(job_home, calls, "4")
    assert cached == 42, "the refreshed result overwrote the old record"
    assert CACHED in log_lines(log, "INFO") and call_count(calls) == 2


def test_json_results_are_readable_records_and_hit_in_a_new_process(job_home, calls):
    first, _ = run_job(job_home, calls, "3", "--task", "compute_json")
    second, log = run_job(job_home, calls, "3", "--task", "compute_json")

    assert first == second == {"x": 3, "calls": 1, "items": [1, 2.5, "three", None]}
    assert CACHED in log_lines(log, "INFO")
    (record,) = records(job_home)
    stored = read_result(open_storage(record.parent), record.name)
    assert stored is not None and stored.header.serializer == "json"
    assert record.read_bytes().endswith(b'{"x": 3, "calls": 1, "items": [1, 2.5, "three", null]}')


@pytest.mark.timeout(120)
def test_serializable_calls_in_separate_processes_compute_once(home, calls, monkeypatch):
    """This process computes and holds the result back until every child is waiting
    on the record's lock; then the children must all read the stored result."""
    children = 3
    monkeypatch.syspath_prepend(str(SCRIPTS))
    monkeypatch.setenv("CALLS_FILE", str(calls))
    import cached_job

    request_cleanup = monkeypatch.setitem  # the module is dropped again after the test
    request_cleanup(sys.modules, "cached_job", cached_job)

    computing, all_waiting = threading.Event(), threading.Event()

    def gate() -> None:
        computing.set()
        assert all_waiting.wait(60), "the other processes never waited on the lock"

    monkeypatch.setattr(cached_job, "GATE", gate)
    mine: dict[str, object] = {}
    thread = threading.Thread(target=lambda: mine.setdefault("result", cached_job.job("compute_once", 7)))
    thread.start()
    assert computing.wait(30)

    procs = [start_job(home, calls, "7", "--task", "compute_once") for _ in range(children)]
    waiting = 0
    lock = threading.Lock()
    logs: list[str] = []

    def watch(proc) -> None:  # type: ignore[no-untyped-def]
        nonlocal waiting
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if "Waiting for another run computing the same result" in line:
                with lock:
                    waiting += 1
                    if waiting == children:
                        all_waiting.set()
        logs.append("".join(seen))

    watchers = [threading.Thread(target=watch, args=(p,)) for p in procs]
    for w in watchers:
        w.start()
    thread.join(90)
    outputs = [p.stdout.read() for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.wait(60)
    for w in watchers:
        w.join(30)
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]

    assert mine.get("result") == 71
    assert all(p.returncode == 0 for p in procs), logs
    assert [o.strip().splitlines()[-1] for o in outputs] == ['{"result": 71}'] * children
    assert call_count(calls) == 1, calls.read_text()
    assert all(CACHED in log_lines(log) for log in logs), logs
