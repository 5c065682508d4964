"""Proof under load (issue #10): eight engine processes, each a flow of N tasks at once.

Three ways the history reaches the database, each with real processes:

(a) embedded: all eight write one SQLite file while `headwater server start` serves
    API and UI over that same file;
(b) client mode: all eight send their history through one server on SQLite;
(c) client mode through one server on PostgreSQL.

During the load a reader polls the server's API and UI pages; every answer must be
2xx. Afterwards the database itself is counted: 8 flow runs and 8 x N task runs,
each with exactly its Pending, Running and Completed states and its log lines,
nothing in a non-final state. No process may have printed a lock, a database error,
a traceback or a 5xx. N is 1,000 in CI and 5,000 with HEADWATER_PROOF=full
(docs/reliability.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .loadgen import Poller, ServerProcess, child_env, problems_in, run_engines, server_process, verify_history

PROCESSES = 8
CI_TASKS = 1_000
FULL_TASKS = 5_000

pytestmark = pytest.mark.timeout(900)


@pytest.fixture
def tasks(full_size: bool) -> int:
    return FULL_TASKS if full_size else CI_TASKS


def _prove(root: Path, server: ServerProcess, engine_env: dict[str, str], database_url: str, tasks: int) -> None:
    """Run the load against `server`, then check the answers, the outputs and the history."""
    try:
        server.start()
        with Poller(server.base_url) as poller:
            results, _ = run_engines(root, engine_env, processes=PROCESSES, tasks=tasks)
    finally:
        server_log = server.stop()
    for result in results:
        assert result.returncode == 0, f"engine {result.index} exited {result.returncode}:\n{result.stderr[-3000:]}"
        assert result.stderr.strip() == "", f"engine {result.index} printed on stderr:\n{result.stderr[-3000:]}"
        assert result.report["tasks"] == tasks
    assert problems_in(server_log) == [], server_log[-3000:]
    # Nothing but its start-up banner: no warning, no error, no run marked Crashed.
    banner = ("headwater server on ", "database ")
    assert [line for line in server_log.splitlines() if not line.startswith(banner)] == [], server_log[-3000:]
    assert poller.failures == [], poller.failures[:5]
    assert poller.not_2xx() == {}
    # The reader really read during the load, flow-run pages included. How many rounds fit
    # depends on the machine's load (13 requests on a machine at load 10), so: at least one whole round.
    assert poller.full_rounds >= 1 and "GET /runs/{id}" in poller.statuses, poller.statuses

    flow_run_ids = [str(result.report["flow_run_id"]) for result in results]
    counts, problems = verify_history(database_url, flow_run_ids, tasks)
    assert problems == [], problems
    assert (counts.flow_runs, counts.task_runs) == (PROCESSES, PROCESSES * tasks)
    assert counts.states == PROCESSES * 3 * (tasks + 1)
    assert counts.not_final_flow_runs == counts.not_final_task_runs == 0


def test_eight_embedded_engines_share_one_sqlite_file_while_the_server_reads_it(tmp_path: Path, tasks: int) -> None:
    home = tmp_path / "home"
    server = server_process(home, tmp_path / "server.log")
    _prove(tmp_path / "engines", server, child_env(home), f"sqlite:///{home / 'headwater.db'}", tasks)


def test_eight_engines_write_through_one_server_on_sqlite(tmp_path: Path, tasks: int) -> None:
    home = tmp_path / "server-home"
    server = server_process(home, tmp_path / "server.log")
    engine_env = child_env(tmp_path / "client-home", HEADWATER_API_URL=server.url)
    _prove(tmp_path / "engines", server, engine_env, f"sqlite:///{home / 'headwater.db'}", tasks)
    assert not (tmp_path / "client-home" / "headwater.db").exists(), "a client-mode engine wrote a local database"


def test_eight_engines_write_through_one_server_on_postgres(tmp_path: Path, tasks: int, postgres_url: str) -> None:
    server = server_process(tmp_path / "server-home", tmp_path / "server.log",
                           HEADWATER_DATABASE_URL=postgres_url)
    engine_env = child_env(tmp_path / "client-home", HEADWATER_API_URL=server.url)
    _prove(tmp_path / "engines", server, engine_env, postgres_url, tasks)


def test_the_count_finds_lost_states_lost_runs_and_stuck_runs(tmp_path: Path) -> None:
    """The checks above can fail: damage a real history and each kind of loss is named."""
    import sqlite3

    home = tmp_path / "home"
    results, _ = run_engines(tmp_path / "engines", child_env(home), processes=1, tasks=20)
    assert results[0].returncode == 0, results[0].stderr
    flow_run_id = str(results[0].report["flow_run_id"])
    url = f"sqlite:///{home / 'headwater.db'}"
    assert verify_history(url, [flow_run_id], 20)[1] == []

    with sqlite3.connect(home / "headwater.db") as db:
        first, second, third = (row[0] for row in db.execute("SELECT id FROM task_runs ORDER BY id LIMIT 3"))
        db.execute("DELETE FROM states WHERE task_run_id = ? AND type = 'RUNNING'", (first,))
        db.execute("UPDATE task_runs SET state_type = 'RUNNING' WHERE id = ?", (second,))
        db.execute("DELETE FROM task_runs WHERE id = ?", (third,))
    counts, problems = verify_history(url, [flow_run_id], 20)
    found = "\n".join(problems)
    assert "1 task run(s) left in a non-final state" in found
    assert "has 19 task runs, not 20" in found
    assert "without exactly the states" in found and "state row(s) of runs that are not in the database" in found
    assert counts.states == 3 * 21 - 1


def test_what_no_user_may_read_is_recognised() -> None:
    text = "ok\nsqlite3.OperationalError: database is locked\nTraceback (most recent call last):\nfine\n" \
           "cannot send run history to the headwater server (HTTP 503: busy)"
    assert len(problems_in(text)) == 3
    assert problems_in("headwater server on http://127.0.0.1:4200\nall good") == []
