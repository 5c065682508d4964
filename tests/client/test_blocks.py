"""Blocks through `headwater.blocks` and the client, on both transports; the REST API;
secrets absent in clear from the database file, the logs and the API's answers."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, SecretStr
from support import ServerProcess

from headwater.blocks.core import Block
from headwater.blocks.fields import SecretDict
from headwater.blocks.registry import UnknownBlockType
from headwater.blocks.system import JSON, DateTime, Secret, String
from headwater.client.orchestration import SyncPrefectClient
from headwater.core.settings import reset_settings
from headwater.filesystems import LocalFileSystem

SECRET = "hunter2-" + uuid.uuid4().hex  # unique: a find in a file or a log is this test's
TOKEN = "tok-" + uuid.uuid4().hex


class Credentials(BaseModel):
    key: SecretStr


class Endpoint(Block):
    """An endpoint (nested in Warehouse)."""

    url: str = "http://example"
    token: SecretStr = SecretStr("")


class Warehouse(Block):
    """A warehouse: nested block, secret string, secret dict, secret in a model."""

    host: str
    password: SecretStr
    options: SecretDict = SecretDict({})
    creds: Credentials
    endpoint: Endpoint


def make_warehouse() -> Warehouse:
    return Warehouse(host="db.local", password=SECRET, options={"a": {"b": SECRET}}, creds=Credentials(key=SECRET),
                     endpoint=Endpoint(url="http://e", token=TOKEN))


@pytest.fixture
def name() -> str:
    return f"blk-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def as_user(client: SyncPrefectClient) -> Iterator[None]:
    reset_settings(client._settings)
    try:
        yield
    finally:
        reset_settings(None)


def test_save_load_delete_round_trip(client: SyncPrefectClient, as_user: None, name: str) -> None:
    block = make_warehouse()
    assert SECRET not in repr(block) and TOKEN not in str(block)
    document_id = block.save(name)
    assert isinstance(document_id, uuid.UUID) and block._block_document_id == document_id
    with pytest.raises(ValueError, match="overwrite=True"):
        make_warehouse().save(name)
    loaded = Warehouse.load(name)
    assert loaded.password.get_secret_value() == SECRET
    assert loaded.options.get_secret_value() == {"a": {"b": SECRET}}
    assert loaded.creds.key.get_secret_value() == SECRET
    assert isinstance(loaded.endpoint, Endpoint) and loaded.endpoint.token.get_secret_value() == TOKEN
    assert loaded.endpoint._block_document_id is not None and loaded.endpoint._is_anonymous
    by_slug = Block.load(f"warehouse/{name}")
    assert isinstance(by_slug, Warehouse) and by_slug.host == "db.local"
    changed = make_warehouse()
    changed.host = "db2"
    assert changed.save(name, overwrite=True) == document_id
    assert Warehouse.load(name).host == "db2"
    Warehouse.delete(name)
    with pytest.raises(ValueError, match=f"Unable to find block document named {name} for block type warehouse"):
        Warehouse.load(name)
    with pytest.raises(ValueError, match=name):
        Warehouse.delete(name)


def test_system_blocks(client: SyncPrefectClient, as_user: None, name: str) -> None:
    Secret(value="plain").save(name)
    assert Secret.load(name).get() == "plain"
    Secret(value={"user": "u", "password": SECRET}).save(name, overwrite=True)
    assert Secret.load(name).get() == {"user": "u", "password": SECRET}
    JSON(value={"a": [1, 2]}).save(name)
    String(value="text").save(name)
    DateTime(value="2024-01-02T03:04:05Z").save(name)
    assert JSON.load(name).value == {"a": [1, 2]} and String.load(name).value == "text"
    assert DateTime.load(name).value.year == 2024
    assert DateTime.get_block_type_slug() == "date-time"


def test_async_twins_and_dispatch(client: SyncPrefectClient, as_user: None, name: str) -> None:
    async def main() -> str:
        await Secret(value="a").asave(name)
        assert (await Secret.aload(name)).get() == "a"
        coroutine = Secret.load(name)  # in async code, as on Prefect: a coroutine
        assert asyncio.iscoroutine(coroutine)
        block = await coroutine
        assert Secret.load(name, _sync=True).get() == "a"
        await Secret.adelete(name)
        return str(block.get())

    assert asyncio.run(main()) == "a"


def test_bad_names_and_unknown_classes(client: SyncPrefectClient, as_user: None, name: str) -> None:
    with pytest.raises(ValueError):
        Secret(value="x").save("Not A Name")
    with pytest.raises(ValueError, match="block-type-slug/block-name"):
        Block.load("no-slash")
    with pytest.raises(ValueError, match="for block type no-such-type"):
        Block.load(f"no-such-type/{name}")
    # A document whose class lives in a module this process cannot import.
    ghost = client.create_block_type({"name": "Ghost", "slug": f"ghost-{name}"})
    schema = client.create_block_schema({"fields": {"properties": {}, "headwater_module": "ghostpkg.blocks"},
                                         "block_type_id": ghost.id})
    client.create_block_document({"name": "g", "data": {}, "block_schema_id": schema.id,
                                  "block_type_id": ghost.id})
    with pytest.raises(UnknownBlockType, match="ghostpkg.blocks.*pip install ghostpkg"):
        Block.load(f"ghost-{name}/g")


def test_file_systems_are_blocks_and_result_storage_by_slug(client: SyncPrefectClient, as_user: None,
                                                              tmp_path: Path, name: str) -> None:
    from headwater import flow, task

    folder = tmp_path / "results"
    LocalFileSystem(basepath=str(folder)).save(name)

    @task(persist_result=True, result_storage=f"local-file-system/{name}", result_storage_key="slug.txt")
    def by_slug() -> int:
        return 1

    @flow
    def run() -> int:
        return by_slug()

    assert run() == 1
    assert (folder / "slug.txt").exists()
    with pytest.raises(TypeError, match="never saved"):
        task(persist_result=True, result_storage=LocalFileSystem(basepath="x"))(lambda: 1)


def test_secrets_masked_in_client_reads_unless_asked(client: SyncPrefectClient, as_user: None, name: str) -> None:
    make_warehouse().save(name)
    masked = client.read_block_document_by_name(name, "warehouse", include_secrets=False)
    text = masked.model_dump_json()
    assert SECRET not in text and TOKEN not in text
    assert masked.data["password"] == "********" and masked.data["options"] == {"a": {"b": "********"}}
    assert masked.data["endpoint"]["token"] == "********"
    full = client.read_block_document_by_name(name, "warehouse")
    assert full.data["password"] == SECRET and full.data["endpoint"]["token"] == TOKEN
    listed = client.read_block_documents(include_secrets=False)
    assert name in [d.name for d in listed] and SECRET not in str([d.data for d in listed])
    # Sending the masked document back keeps the secrets (as the UI's form does).
    client.update_block_document(masked.id, {"data": {**masked.data, "host": "h2"}})
    again = Warehouse.load(name)
    assert again.host == "h2" and again.password.get_secret_value() == SECRET


def test_secrets_absent_from_the_database_file_and_logs(tmp_path: Path, name: str,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from headwater.core.settings import load_settings

    home = tmp_path / "home"
    reset_settings(load_settings(home=str(home)))
    try:
        with caplog.at_level(logging.DEBUG):
            make_warehouse().save(name)
            Secret(value=SECRET).save(name)
            assert Warehouse.load(name).password.get_secret_value() == SECRET
    finally:
        from headwater.client.kept import kept_client

        kept_client().close()
        reset_settings(None)
    assert (home / "secret.key").stat().st_mode & 0o777 == 0o600
    for path in home.rglob("*"):
        if path.is_file() and path.name != "secret.key":
            data = path.read_bytes()
            assert SECRET.encode() not in data and TOKEN.encode() not in data, path
    assert SECRET not in caplog.text and TOKEN not in caplog.text


# -- the REST API ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + "/", timeout=30) as http:
        yield http


def test_api_paths_masking_and_include_secrets(api: httpx.Client, server: ServerProcess, name: str) -> None:
    slug = f"api-{name}"
    block_type = api.post("block_types/", json={"name": "Api Block", "slug": slug})
    assert block_type.status_code == 201, block_type.text
    type_id = block_type.json()["id"]
    assert api.post("block_types/", json={"name": "Api Block", "slug": slug}).status_code == 409
    assert api.get(f"block_types/slug/{slug}").json()["id"] == type_id
    fields = {"properties": {"pw": {"type": "string"}}, "secret_fields": ["pw"]}
    schema = api.post("block_schemas/", json={"fields": fields, "block_type_id": type_id})
    assert schema.status_code == 201, schema.text
    schema_id = schema.json()["id"]
    assert api.get(f"block_schemas/checksum/{schema.json()['checksum']}").json()["id"] == schema_id
    created = api.post("block_documents/", json={"name": "doc", "data": {"pw": SECRET}, "block_schema_id": schema_id,
                                                 "block_type_id": type_id})
    assert created.status_code == 201, created.text
    assert SECRET not in created.text
    document_id = created.json()["id"]
    assert api.post("block_documents/", json={"name": "doc", "data": {}, "block_schema_id": schema_id,
                                              "block_type_id": type_id}).status_code == 409
    for reply in (api.get(f"block_documents/{document_id}"),
                  api.get(f"block_types/slug/{slug}/block_documents/name/doc"),
                  api.get(f"block_types/slug/{slug}/block_documents"),
                  api.post("block_documents/filter", json={})):
        assert reply.status_code == 200 and SECRET not in reply.text and "********" in reply.text
    shown = api.get(f"block_documents/{document_id}", params={"include_secrets": "true"})
    assert shown.json()["data"]["pw"] == SECRET
    assert SECRET in api.post("block_documents/filter", json={"include_secrets": True}).text
    assert api.post("block_documents/count", json={"block_types": {"slug": {"any_": [slug]}}}).json() == 1
    assert api.patch(f"block_documents/{document_id}", json={"data": {"pw": "********"}}).status_code == 204
    assert api.get(f"block_documents/{document_id}", params={"include_secrets": "true"}).json()["data"]["pw"] == SECRET
    assert api.delete(f"block_documents/{document_id}").status_code == 204
    assert api.delete(f"block_documents/{document_id}").status_code == 404
    assert api.get(f"block_types/slug/{slug}/block_documents/name/doc").status_code == 404
    assert SECRET not in server.log()


@pytest.mark.parametrize("path,body", [
    ("block_types/", {"name": "x", "slug": "Bad Slug"}),
    ("block_types/", {"slug": "x"}),
    ("block_types/", {"name": "x", "slug": "x", "extra": 1}),
    ("block_schemas/", {"fields": {"properties": []}, "block_type_id": "x"}),
    ("block_schemas/", {"fields": {"secret_fields": "pw"}, "block_type_id": "x"}),
    ("block_schemas/", {"fields": "nope", "block_type_id": "x"}),
    ("block_documents/", {"name": "Bad Name", "data": {}, "block_schema_id": "x", "block_type_id": "x"}),
    ("block_documents/", {"data": {}, "block_schema_id": "x", "block_type_id": "x"}),
    ("block_documents/", {"name": "big", "data": {"v": "x" * 2_000_000}, "block_schema_id": "x",
                          "block_type_id": "x"}),
    ("block_documents/", "not an object"),
])
def test_api_refuses_bad_bodies_with_a_4xx(api: httpx.Client, path: str, body: object) -> None:
    reply = api.post(path, json=body)
    assert 400 <= reply.status_code < 500, reply.text
    assert "detail" in reply.json()


def test_api_key_is_needed_for_everything_including_secrets(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "keyed", HEADWATER_API_KEY="k-123", HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        with httpx.Client(base_url=server.url + "/", timeout=30) as http:
            assert http.post("block_documents/filter", json={"include_secrets": True}).status_code == 401
            assert http.post("block_documents/filter", json={"include_secrets": True},
                             headers={"Authorization": "Bearer k-123"}).status_code == 200
    finally:
        server.stop()
