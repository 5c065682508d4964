"""The blocks repository and operations on SQLite and on a real PostgreSQL: secrets
encrypted at rest, masked unless asked for, and key rotation all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.block_schemas import (
    BlockDocumentCreate,
    BlockDocumentFilterRequest,
    BlockDocumentUpdate,
    BlockSchemaCreate,
    BlockTypeCreate,
)
from headwater.core.settings import load_settings
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ParameterValidationError
from headwater.operations import Operations
from headwater.operations.block_secrets import ENCRYPTED, SecretKeyError, rotate_key
from headwater.store import Store

SECRET = "s3cret-value-1234"


@pytest.fixture
def ops(store_url: str, tmp_path: Path) -> Iterator[Operations]:
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield Operations(store, load_settings(home=str(tmp_path)), own_store=True)
    store.close()


def _document(ops: Operations, name: str = "doc", value: str = SECRET) -> str:
    try:
        block_type = ops.read_block_type_by_slug("creds")
    except ObjectNotFound:
        block_type = ops.create_block_type(BlockTypeCreate(name="Creds", slug="creds"))
    schema = ops.create_block_schema(BlockSchemaCreate(
        fields={"properties": {"user": {}, "pw": {}, "extra": {}}, "secret_fields": ["pw", "extra.*"]},
        block_type_id=block_type.id))
    created = ops.create_block_document(BlockDocumentCreate(
        name=name, data={"user": "u", "pw": value, "extra": {"k": value}}, block_schema_id=schema.id,
        block_type_id=block_type.id))
    return created.id


def test_documents_are_encrypted_at_rest_and_masked(ops: Operations) -> None:
    document_id = _document(ops)
    stored = ops.store.blocks.read_block_document(document_id)
    assert set(stored.data["pw"]) == {ENCRYPTED} and SECRET not in str(stored.data)
    masked = ops.read_block_document(document_id)
    assert masked.data == {"user": "u", "pw": "********", "extra": {"k": "********"}}
    assert ops.read_block_document(document_id, include_secrets=True).data["extra"] == {"k": SECRET}
    with pytest.raises(ObjectAlreadyExists):
        _document(ops)
    ops.update_block_document(document_id, BlockDocumentUpdate(data={"pw": "********", "user": "v"}))
    assert ops.read_block_document(document_id, include_secrets=True).data["pw"] == SECRET
    found = ops.filter_block_documents(BlockDocumentFilterRequest.model_validate(
        {"block_types": {"slug": {"any_": ["creds"]}}}))
    assert [d.name for d in found] == ["doc"]
    ops.delete_block_document(document_id)
    with pytest.raises(ObjectNotFound):
        ops.read_block_document(document_id)


def test_malformed_schemas_and_large_data_are_refused(ops: Operations) -> None:
    block_type = ops.create_block_type(BlockTypeCreate(name="T", slug="t"))
    for fields in ({"properties": []}, {"secret_fields": "pw"}, {"properties": {"a": 1}}):
        with pytest.raises(ParameterValidationError):
            ops.create_block_schema(BlockSchemaCreate(fields=fields, block_type_id=block_type.id))
    schema = ops.create_block_schema(BlockSchemaCreate(fields={"properties": {}}, block_type_id=block_type.id))
    with pytest.raises(ParameterValidationError, match="limit"):
        ops.create_block_document(BlockDocumentCreate(name="big", data={"v": "x" * 1_100_000},
                                                      block_schema_id=schema.id, block_type_id=block_type.id))
    with pytest.raises(ObjectNotFound, match="do not exist"):
        ops.create_block_document(BlockDocumentCreate(
            name="ref", data={"n": {"$ref": {"block_document_id": "nope"}}}, block_schema_id=schema.id,
            block_type_id=block_type.id))


def test_key_rotation_re_encrypts_everything(ops: Operations, tmp_path: Path) -> None:
    first = _document(ops, "one")
    second = _document(ops, "two", "other-secret")
    old_key = (tmp_path / "secret.key").read_bytes()
    before = ops.store.blocks.read_block_document(first).data["pw"]
    count, where = rotate_key(ops.store, ops.settings)
    assert count == 2 and where.endswith("secret.key")
    assert (tmp_path / "secret.key").read_bytes() != old_key
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "secret.key.new").exists()
    assert ops.store.blocks.read_block_document(first).data["pw"] != before
    assert ops.read_block_document(first, include_secrets=True).data["pw"] == SECRET
    assert ops.read_block_document(second, include_secrets=True).data["pw"] == "other-secret"


def test_key_rotation_that_fails_changes_nothing(ops: Operations, tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    _document(ops, "one")
    # A document encrypted with a key nobody has: the rotation must stop, untouched.
    foreign = Fernet(Fernet.generate_key()).encrypt(b'"x"').decode()
    second = _document(ops, "two")
    ops.store.blocks.update_block_document(second, {"pw": {ENCRYPTED: foreign}})
    rows_before = {d.id: d.data for d in ops.store.blocks.filter_block_documents(None, None)}
    key_before = (tmp_path / "secret.key").read_bytes()
    with pytest.raises(SecretKeyError, match="cannot be decrypted"):
        rotate_key(ops.store, ops.settings)
    assert {d.id: d.data for d in ops.store.blocks.filter_block_documents(None, None)} == rows_before
    assert (tmp_path / "secret.key").read_bytes() == key_before
    # The pending key is kept and reused by the next rotation; reads still work meanwhile.
    assert (tmp_path / "secret.key.new").exists()
    assert ops.read_block_document_by_name("creds", "one", include_secrets=True).data["pw"] == SECRET


def test_key_from_the_setting(store_url: str, tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    store = Store.open(store_url, busy_timeout_seconds=10)
    try:
        first = Operations(store, load_settings(home=str(tmp_path), secret_key=old))
        document_id = _document(first)
        assert not (tmp_path / "secret.key").exists()
        both = Operations(store, load_settings(home=str(tmp_path), secret_key=f"{new},{old}"))
        assert rotate_key(store, both.settings)[0] == 1
        only_new = Operations(store, load_settings(home=str(tmp_path), secret_key=new))
        assert only_new.read_block_document(document_id, include_secrets=True).data["pw"] == SECRET
        with pytest.raises(SecretKeyError):
            first.read_block_document(document_id)
    finally:
        store.close()
