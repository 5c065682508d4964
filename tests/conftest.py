"""Shared fixtures: database URLs for tests that run against both databases.

- `sqlite_url`: a SQLite file in the test's tmp_path (not created yet).
- `postgres_server`: session-wide throwaway PostgreSQL cluster; its admin URL.
- `postgres_url`: a fresh, empty PostgreSQL schema (in a test database) for one test.
- `store_url`: parametrized over ["sqlite", "postgres"]; use it for contract tests.

PostgreSQL comes from the Debian/Ubuntu packages (`apt-get install postgresql`): the
cluster is started from /usr/lib/postgresql/*/bin on 127.0.0.1 and a free port, as the
`postgres` OS user when the tests run as root. Without the binaries the PostgreSQL
tests are skipped, except under CI (the `CI` variable set), where they fail.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from support import free_port

_PG_GLOB = "/usr/lib/postgresql/*/bin"


@pytest.fixture(autouse=True, scope="session")
def _never_the_real_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes the user's ~/.headwater: the default home points into the temp dir.
    Tests that need their own home set HEADWATER_HOME themselves (see tests/engine/conftest.py)."""
    previous = os.environ.get("HEADWATER_HOME")
    os.environ["HEADWATER_HOME"] = str(tmp_path_factory.mktemp("default-home"))
    yield
    if previous is None:
        os.environ.pop("HEADWATER_HOME", None)
    else:
        os.environ["HEADWATER_HOME"] = previous


def _find_postgres_bin() -> str | None:
    candidates = [d for d in glob.glob(_PG_GLOB) if os.path.exists(os.path.join(d, "pg_ctl"))]
    if not candidates:
        return None
    return max(candidates, key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster; yield its admin URL (no database part)."""
    bin_dir = _find_postgres_bin()
    if bin_dir is None:
        message = f"PostgreSQL binaries not found under {_PG_GLOB}: apt-get install -y postgresql"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so PostgreSQL tests must run)", pytrace=False)
        pytest.skip(message)
    as_postgres: list[str] = []
    data_root = tempfile.mkdtemp(prefix="headwater-pg-")
    if os.geteuid() == 0:
        # initdb and postgres refuse to run as root.
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(data_root, user="postgres", group="postgres")
    data_dir = os.path.join(data_root, "data")
    port = free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*as_postgres, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            pytest.fail(f"{' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)

    pg_ctl = os.path.join(bin_dir, "pg_ctl")
    run(os.path.join(bin_dir, "initdb"), "-D", data_dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data_root} -c fsync=off -c full_page_writes=off"
    run(pg_ctl, "-D", data_dir, "-o", options, "-l", os.path.join(data_root, "log"), "-w", "-t", "60", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_postgres, pg_ctl, "-D", data_dir, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(data_root, ignore_errors=True)


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def _postgres_test_database(postgres_server: str) -> str:
    _admin(f"{postgres_server}/postgres", "CREATE DATABASE headwater_test")
    return f"{postgres_server}/headwater_test"


@pytest.fixture
def postgres_url(_postgres_test_database: str) -> Iterator[str]:
    """An empty PostgreSQL schema for one test, dropped afterwards.

    Each test gets its own schema (chosen by `search_path` in the URL) rather than its
    own database: CREATE DATABASE takes about half a second, CREATE SCHEMA nothing.
    """
    schema = f"test_{uuid.uuid4().hex[:12]}"
    _admin(_postgres_test_database, f"CREATE SCHEMA {schema}")
    yield f"{_postgres_test_database}?options=-csearch_path%3D{schema}"
    _admin(_postgres_test_database, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    """A SQLite database file in the test's tmp_path (created on first open)."""
    return f"sqlite:///{os.path.join(tmp_path, 'headwater.db')}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database of each kind: the store contract runs on both."""
    return str(request.getfixturevalue(f"{request.param}_url"))
