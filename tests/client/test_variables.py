"""Variables through the client and `headwater.variables.Variable`, on both transports."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import ServerProcess

from headwater.client.orchestration import SyncPrefectClient, get_client
from headwater.client.schemas.actions import VariableCreate, VariableUpdate
from headwater.client.schemas.objects import Variable as VariableObject
from headwater.core.settings import load_settings, reset_settings
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ParameterValidationError
from headwater.variables import Variable


@pytest.fixture
def name() -> str:
    """A variable name no other test uses (the server is shared)."""
    return f"var_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def as_user(client: SyncPrefectClient) -> Iterator[None]:
    """`Variable` uses the process's settings: point them where `client` points."""
    reset_settings(client._settings)
    try:
        yield
    finally:
        reset_settings(None)


def test_client_create_read_update_delete(client: SyncPrefectClient, name: str) -> None:
    created = client.create_variable(VariableCreate(name=name, value={"a": [1, 2]}, tags=["t"]))
    assert isinstance(created, VariableObject) and isinstance(created.id, uuid.UUID)
    assert (created.name, created.value, created.tags) == (name, {"a": [1, 2]}, ["t"])
    with pytest.raises(ObjectAlreadyExists, match=name):
        client.create_variable(VariableCreate(name=name, value=1))
    assert client.update_variable(VariableUpdate(name=name, value="new")) is None
    read = client.read_variable_by_name(name)
    assert read is not None and (read.value, read.tags, read.id) == ("new", ["t"], created.id)
    assert name in [v.name for v in client.read_variables()]
    assert len(client.read_variables(limit=1)) == 1
    client.delete_variable_by_name(name)
    assert client.read_variable_by_name(name) is None
    with pytest.raises(ObjectNotFound, match=name):
        client.delete_variable_by_name(name)
    with pytest.raises(ObjectNotFound):
        client.update_variable(VariableUpdate(name=name, value=1))


def test_names_no_variable_can_have_read_as_none(client: SyncPrefectClient) -> None:
    for odd in ["", "a/b", "../x", "UPPER", "x" * 300, "%2F"]:
        assert client.read_variable_by_name(odd) is None
        with pytest.raises(ObjectNotFound):
            client.delete_variable_by_name(odd)


def test_oversized_values_are_refused_by_the_setting(client: SyncPrefectClient, name: str,
                                                     transport_kind: str) -> None:
    limit = load_settings().variable_max_bytes
    client.create_variable(VariableCreate(name=name, value="x" * (limit - 2)))  # with its quotes: the limit
    with pytest.raises(ParameterValidationError, match="HEADWATER_VARIABLE_MAX_BYTES"):
        client.create_variable(VariableCreate(name=name + "_big", value="x" * (limit - 1)))
    assert client.read_variable_by_name(name + "_big") is None


def test_variable_get_set_unset(client: SyncPrefectClient, as_user: None, name: str) -> None:
    assert Variable.get(name) is None
    assert Variable.get(name, default={"d": 1}) == {"d": 1}
    assert Variable.unset(name) is False
    stored = Variable.set(name, [1, "two", None], tags=["a"])
    assert isinstance(stored, Variable) and (stored.name, stored.value, stored.tags) == (name, [1, "two", None], ["a"])
    assert Variable.get(name) == [1, "two", None]
    with pytest.raises(ValueError, match=f"Variable '{name}' already exists. Use `overwrite=True`"):
        Variable.set(name, 2)
    again = Variable.set(name, 2, overwrite=True)
    assert (again.value, again.tags) == (2, [])  # tags replaced, as on Prefect
    with pytest.raises(ValueError, match="not valid"):
        Variable.set("Not A Name", 1)
    with pytest.raises(ValueError, match="must be JSON"):
        Variable.set(name, object(), overwrite=True)
    assert Variable.unset(name) is True
    assert Variable.get(name, 7) == 7


def test_async_twins_and_dispatch(client: SyncPrefectClient, as_user: None, name: str) -> None:
    async def main() -> list[object]:
        stored = await Variable.aset(name, {"k": "v"})
        seen: list[object] = [stored.value, await Variable.aget(name), await Variable.get(name)]
        seen.append(await Variable.set(name, 5, overwrite=True))
        seen.append(Variable.get(name, _sync=True))
        seen += [await Variable.unset(name), await Variable.aunset(name), await Variable.aget(name, "gone")]
        async with get_client() as async_client:
            seen.append(await async_client.read_variable_by_name(name))
        return seen

    seen = asyncio.run(main())
    assert seen[:3] == [{"k": "v"}] * 3
    assert isinstance(seen[3], Variable) and seen[4] == 5
    assert seen[5:] == [True, False, "gone", None]


def test_variables_inside_a_flow(client: SyncPrefectClient, as_user: None, name: str) -> None:
    from headwater import flow, task

    @task
    def read() -> object:
        return Variable.get(name)

    @flow
    def configured() -> object:
        Variable.set(name, {"rows": 3})
        return read()

    assert configured() == {"rows": 3}
    assert Variable.unset(name)


# -- the REST API: bad input is a 4xx, never a 5xx ---------------------------------------

@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + "/", timeout=30) as http:
        yield http


def test_api_paths_and_statuses(api: httpx.Client, name: str) -> None:
    created = api.post("variables/", json={"name": name, "value": [1], "tags": ["t"]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert {"id", "name", "value", "tags", "created", "updated"} <= body.keys()
    assert api.post("variables/", json={"name": name, "value": 2}).status_code == 409
    assert api.get(f"variables/name/{name}").json()["value"] == [1]
    assert api.get(f"variables/{body['id']}").json()["name"] == name
    assert api.patch(f"variables/name/{name}", json={"value": {"x": 1}}).status_code == 204
    assert api.patch(f"variables/{body['id']}", json={"tags": ["u"]}).status_code == 204
    assert api.get(f"variables/name/{name}").json()["value"] == {"x": 1}
    filtered = api.post("variables/filter", json={"variables": {"name": {"any_": [name]}}, "limit": 5})
    assert [v["tags"] for v in filtered.json()] == [["u"]]
    assert api.post("variables/count", json={"variables": {"name": {"any_": [name]}}}).json() == 1
    assert api.post("variables/filter").status_code == 200  # no body: everything
    assert api.delete(f"variables/name/{name}").status_code == 204
    assert api.delete(f"variables/name/{name}").status_code == 404
    assert api.get(f"variables/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("body", [
    {"name": "Bad Name", "value": 1},
    {"name": "", "value": 1},
    {"name": "x" * 256, "value": 1},
    {"value": 1},
    {"name": "ok", "value": 1, "extra": True},
    {"name": "ok", "value": 1, "tags": "not-a-list"},
    {"name": "ok_big", "value": "x" * 2_000_000},
    {"name": ["list"], "value": 1},
    "not an object",
])
def test_api_refuses_bad_bodies_with_a_4xx(api: httpx.Client, body: object) -> None:
    reply = api.post("variables/", json=body)
    assert 400 <= reply.status_code < 500, reply.text
    assert "detail" in reply.json()


def test_api_refuses_bad_json_and_filters_with_a_4xx(api: httpx.Client) -> None:
    assert api.post("variables/", content=b"{not json", headers={"content-type": "application/json"}
                    ).status_code == 422
    assert api.post("variables/filter", json={"sort": "SIDEWAYS"}).status_code == 422
    assert api.post("variables/filter", json={"limit": -1}).status_code == 422
    assert api.patch("variables/name/none-such", json={"value": 1}).status_code == 404
    assert api.patch("variables/name/x", json={"nope": 1}).status_code == 422
    assert api.get("variables/not-a-uuid").status_code == 422
    big = api.patch("variables/name/none-such", json={"value": "x" * 2_000_000})
    assert big.status_code in (404, 422)


def test_embedded_reads_reuse_one_database_connection(tmp_path: Path, name: str) -> None:
    reset_settings(load_settings(home=str(tmp_path / "home")))
    try:
        Variable.set(name, 1)
        from headwater.client.kept import kept_client

        first = kept_client()
        assert Variable.get(name) == 1 and kept_client() is first
    finally:
        reset_settings(None)
