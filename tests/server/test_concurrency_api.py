"""Concurrency limits over the API, on SQLite and PostgreSQL.

- The embedded store's limit contract (tests/concurrency/test_limits_store.py) run
  again through `HttpOrchestrator` against a real server: same results, same errors.
- Prefect's paths and shapes: `/api/v2/concurrency_limits/...` and the v1 tag limits
  at `/api/concurrency_limits/...`; bad input is a 4xx naming what is wrong.
- Zombie detection releases the slots of the flow runs it marks Crashed.
"""

from __future__ import annotations

import importlib.util
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from headwater.client.http import HttpTransport
from headwater.core.settings import Settings, load_settings
from headwater.orchestrator.http import HttpOrchestrator
from headwater.orchestrator.records import FlowRunCreated, Heartbeat, StateChanged
from headwater.server import create_app
from headwater.server.services import ZombieRuns
from headwater.store import Store

from .conftest import serve_app

V2 = "/v2/concurrency_limits"

# -- the store contract, through the server ------------------------------------------------
_CONTRACT_FILE = Path(__file__).parents[1] / "concurrency" / "test_limits_store.py"
_spec = importlib.util.spec_from_file_location("_limits_store_contract", _CONTRACT_FILE)
assert _spec is not None and _spec.loader is not None
_contract = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_contract)
# Every test of the contract, except the one about SQLite callers' own clocks (behind a
# server, every caller uses the server's clock).
for _name, _test in vars(_contract).items():
    if _name.startswith("test_") and _name != "test_a_clock_behind_never_makes_counts_negative":
        globals()[_name] = _test


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def limits_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server per database kind for this module (starting one per test would take
    most of the time); `api` empties it before each test."""
    home = tmp_path_factory.mktemp("limits-server")
    if request.param == "sqlite":
        yield from _serve(home, f"sqlite:///{home / 'headwater.db'}")
        return
    database = request.getfixturevalue("_postgres_test_database")
    schema = f"limits_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield from _serve(home, f"{database}?options=-csearch_path%3D{schema}")
    finally:
        with psycopg.connect(database.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _serve(home: Path, database_url: str) -> Iterator[str]:
    with serve_app(create_app(load_settings(home=home, database_url=database_url), services=False)) as url:
        yield url


@pytest.fixture
def api(limits_server: str) -> Iterator[httpx.Client]:
    """A client of `/api` on a server with no concurrency limits."""
    with httpx.Client(base_url=f"{limits_server}/api", timeout=30) as client:
        for info in client.post(f"{V2}/filter").json():
            client.delete(f"{V2}/{info['name']}").raise_for_status()
        yield client


class _OverHttp:
    """The contract's store methods through a server: slots through the engine's
    `HttpOrchestrator`, limit administration through the client's `HttpTransport`."""

    _ADMIN = frozenset({"create_concurrency_limit", "read_concurrency_limit", "update_concurrency_limit",
                        "delete_concurrency_limit", "reset_concurrency_limit"})

    def __init__(self, settings: Settings) -> None:
        self.orchestrator = HttpOrchestrator(settings)
        self.transport = HttpTransport(settings)

    @property
    def limits(self) -> _OverHttp:
        """The contract calls `store.limits.<method>`: the same methods here."""
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport if name in self._ADMIN else self.orchestrator, name)

    def close(self) -> None:
        self.transport.close()
        self.orchestrator.close()


@pytest.fixture
def store(api: httpx.Client, limits_server: str, tmp_path: Path) -> Iterator[_OverHttp]:
    """The contract's `store`, through a server."""
    over_http = _OverHttp(load_settings(home=tmp_path / "client", api_url=f"{limits_server}/api"))
    yield over_http
    over_http.close()


# -- Prefect's v2 paths: global limits and rate limits ---------------------------------


def test_create_read_filter_update_delete_on_prefect_paths(api: httpx.Client) -> None:
    created = api.post(f"{V2}/", json={"name": "github-api", "limit": 60, "slot_decay_per_second": 0.016})
    assert created.status_code == 201, created.text
    limit_id = created.json()["id"]
    api.post(f"{V2}/", json={"name": "database", "limit": 2, "active": False}).raise_for_status()

    by_name = api.get(f"{V2}/github-api").json()
    assert (by_name["id"], by_name["kind"], by_name["limit"], by_name["slots_in_use"]) == (limit_id, "global", 60, 0)
    assert api.get(f"{V2}/{limit_id}").json()["name"] == "github-api"
    assert [x["name"] for x in api.post(f"{V2}/filter", json={}).json()] == ["database", "github-api"]
    assert [x["name"] for x in api.post(f"{V2}/filter", json={"limit": 1, "offset": 1}).json()] == ["github-api"]

    updated = api.patch(f"{V2}/{limit_id}", json={"limit": 30, "active": False})
    assert updated.status_code == 200 and (updated.json()["limit"], updated.json()["active"]) == (30, False)

    assert api.delete(f"{V2}/github-api").status_code == 204
    gone = api.get(f"{V2}/github-api")
    assert gone.status_code == 404 and "no global concurrency limit 'github-api'" in gone.json()["detail"]
    assert api.delete(f"{V2}/{limit_id}").status_code == 404


def test_slots_are_leased_refused_renewed_and_released(api: httpx.Client) -> None:
    api.post(f"{V2}/", json={"name": "db", "limit": 1}).raise_for_status()
    take = {"names": ["db"], "slots": 1, "mode": "concurrency", "lease_duration": 60,
            "holder": {"type": "flow_run", "id": str(uuid.uuid4())}}

    granted = api.post(f"{V2}/increment-with-lease", json=take)
    assert granted.status_code == 200 and granted.json()["granted"] is True
    lease_id = granted.json()["lease_id"]
    refused = api.post(f"{V2}/increment-with-lease", json=take)
    assert refused.status_code == 423
    assert float(refused.headers["Retry-After"]) > 0
    assert refused.json()["blocking"] == {"db": [1.0, 1]}
    assert refused.json()["detail"] == "waiting for 1 slot of 'db' (1/1 in use)"
    assert api.get(f"{V2}/db").json()["holders"][0]["holder"] == take["holder"]

    assert api.post(f"{V2}/leases/{lease_id}/renew", json={"lease_duration": 120}).status_code == 204
    assert api.post(f"{V2}/leases/renew", json={"lease_ids": [lease_id, "gone"], "lease_duration": 60}).json() == {
        "lost": ["gone"]}
    assert api.post(f"{V2}/decrement-with-lease", json={"lease_id": lease_id}).status_code == 204
    assert api.post(f"{V2}/decrement-with-lease", json={"lease_id": lease_id}).status_code == 204  # harmless
    assert api.post(f"{V2}/leases/{lease_id}/renew", json={}).status_code == 404
    assert api.post(f"{V2}/increment-with-lease", json=take).status_code == 200


def test_rate_limits_strict_and_missing_names(api: httpx.Client) -> None:
    # A slot decays in 2 s: wide enough that the second call surely lands inside it.
    api.post(f"{V2}/", json={"name": "api", "limit": 1, "slot_decay_per_second": 0.5}).raise_for_status()
    rate = {"names": ["api"], "slots": 1, "mode": "rate_limit"}

    first = api.post(f"{V2}/increment", json=rate)
    assert first.status_code == 200 and first.json()["lease_id"] is None
    second = api.post(f"{V2}/increment", json=rate)
    assert second.status_code == 423 and 0 < second.json()["retry_after"] <= 2 + 1e-6

    loose = api.post(f"{V2}/increment-with-lease", json={"names": ["ghost"], "slots": 1})
    assert loose.status_code == 200 and loose.json()["missing"] == ["ghost"]
    strict = api.post(f"{V2}/increment-with-lease", json={"names": ["ghost"], "slots": 1, "strict": True})
    assert strict.status_code == 404 and strict.json()["granted"] is False
    assert "no concurrency limit named 'ghost'" in strict.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "fragment"),
    [
        ("POST", "/", {"name": "x", "limit": 0}, 422, "at least 1, not 0"),
        ("POST", "/", {"name": "x", "limit": "many"}, 422, "body.limit"),
        ("POST", "/", {"name": "x", "limit": 2**40}, 422, "body.limit"),
        ("POST", "/", {"name": "x", "limit": 1, "slot_decay_per_second": -1}, 422, "slot_decay_per_second"),
        ("POST", "/", {"name": "a/b", "limit": 1}, 422, "contains '/'"),
        ("POST", "/", {"name": "x", "limit": 1, "active_slots": 3}, 422, "body.active_slots"),
        ("POST", "/", {"name": "taken", "limit": 1}, 409, "already exists (limit 2)"),
        ("PATCH", "/taken", {"limit": -1}, 422, "at least 1, not -1"),
        ("PATCH", "/nope", {"limit": 1}, 404, "no global concurrency limit 'nope'"),
        ("PATCH", "/taken", {"name": "renamed"}, 422, "body.name"),
        ("POST", "/filter", {"limit": -1}, 422, "body.limit"),
        ("POST", "/increment-with-lease", {"names": ["taken"], "slots": 3}, 422, "its limit is 2, so this would"),
        ("POST", "/increment-with-lease", {"names": ["taken"], "slots": 1, "mode": "rate_limit"}, 422,
         "needs slots that decay"),
        ("POST", "/increment-with-lease", {"names": [], "slots": 1}, 422, "body.names"),
        ("POST", "/increment-with-lease", {"names": ["taken"], "slots": 0}, 422, "body.slots"),
        ("POST", "/increment-with-lease", {"names": ["x"], "slots": 1, "lease_duration": 0}, 422,
         "body.lease_duration"),
        ("POST", "/increment-with-lease", {"names": ["bad name "], "slots": 1}, 422, "leading/trailing spaces"),
        ("POST", "/increment", {"names": ["taken"], "slots": 1}, 422, "body.mode"),
        ("POST", "/leases/renew", {"lease_ids": "abc"}, 422, "body.lease_ids"),
    ],
)
def test_bad_requests_are_4xx_naming_the_problem(
    api: httpx.Client, method: str, path: str, body: Any, status: int, fragment: str
) -> None:
    api.post(f"{V2}/", json={"name": "taken", "limit": 2}).raise_for_status()

    response = api.request(method, f"{V2}{path}", json=body)

    assert response.status_code == status, response.text
    reply = response.json()
    assert fragment in str(reply.get("message") or reply["detail"])
    assert [x["name"] for x in api.post(f"{V2}/filter").json()] == ["taken"]  # nothing half-created
    assert api.get(f"{V2}/taken").json()["limit"] == 2


def test_malformed_json_is_422(api: httpx.Client) -> None:
    response = api.post(f"{V2}/", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


# -- Prefect's v1 paths: tag limits ------------------------------------------------------------
def test_tag_limits_on_prefect_v1_paths(api: httpx.Client) -> None:
    created = api.post("/concurrency_limits/", json={"tag": "db", "concurrency_limit": 2})
    assert created.status_code == 201, created.text
    limit_id = created.json()["id"]
    again = api.post("/concurrency_limits/", json={"tag": "db", "concurrency_limit": 3})
    assert again.status_code == 200 and again.json()["concurrency_limit"] == 3  # create or update

    taken = api.post(f"{V2}/increment-with-lease", json={"names": ["tag:db"], "slots": 1,
                                                           "holder": {"run_id": "task-run-1"}})
    assert taken.status_code == 200
    by_tag = api.get("/concurrency_limits/tag/db").json()
    assert (by_tag["id"], by_tag["tag"], by_tag["active_slots"]) == (limit_id, "db", ["task-run-1"])
    assert api.get(f"{V2}/tag:db").json()["kind"] == "tag"  # the same limit, keyed tag:db
    assert [x["tag"] for x in api.post("/concurrency_limits/filter", json={"limit": 10}).json()] == ["db"]

    assert api.post("/concurrency_limits/tag/db/reset").status_code == 204
    assert api.get(f"/concurrency_limits/{limit_id}").json()["active_slots"] == []
    assert api.post("/concurrency_limits/", json={"tag": "db", "concurrency_limit": -1}).status_code == 422
    assert api.delete("/concurrency_limits/tag/db").status_code == 204
    assert api.delete(f"/concurrency_limits/{limit_id}").status_code == 404
    assert api.get("/concurrency_limits/tag/db").status_code == 404


# -- zombies give their slots back ------------------------------------------------------
def _running_flow(store: Store, heartbeat: float) -> str:
    flow_run = str(uuid.uuid4())
    store.history.write([
        FlowRunCreated(flow_run, "f", "r", {}, [], None, heartbeat),
        StateChanged(flow_run, False, "RUNNING", "Running", None, heartbeat, None),
        Heartbeat(flow_run, heartbeat),
    ])
    return flow_run


def test_zombie_detection_releases_the_crashed_runs_slots(store_url: str, tmp_path: Path) -> None:
    settings: Settings = load_settings(home=tmp_path, zombie_after_seconds=60)
    with Store.open(store_url) as db:
        db.limits.create_concurrency_limit("database", 3)
        now = time.time()
        dead, alive = _running_flow(db, now - 120), _running_flow(db, now - 5)
        for holder in ({"flow_run_id": dead, "run_id": "t1"}, {"type": "flow_run", "id": dead},
                       {"flow_run_id": alive}):
            assert db.limits.acquire_concurrency_slots(["database"], 1, lease_seconds=600, holder=holder).granted
        service = ZombieRuns(db, settings)
        service.started_at = now - 100

        assert service.run_once(now) == 1

        info = db.limits.read_concurrency_limit("database")
        assert [h.holder for h in info.holders] == [{"flow_run_id": alive}]
        assert info.slots_in_use == 1
