"""The result store: record format, storages, serializers, storage keys."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from headwater.results import (
    CorruptRecord,
    RecordHeader,
    SerializationError,
    UnsafeStorageKey,
    check_storage_key,
    check_template,
    open_storage,
    read_result,
    render_storage_key,
    resolve_serializer,
    write_result,
)
from headwater.results.records import decode_record, encode_record


def test_a_record_carries_serializer_expiry_and_keys(tmp_path):
    storage = open_storage(tmp_path)
    header = write_result(storage, "t/abc", {"v": 1}, resolve_serializer("json"), cache_key="abc", expires=123.5)
    assert header.storage_key == str(tmp_path / "t" / "abc")
    first_line, header_line, payload = (tmp_path / "t" / "abc").read_bytes().split(b"\n", 2)
    assert first_line == b"HWR1"
    fields = json.loads(header_line)
    assert fields["serializer"] == "json" and fields["expires"] == 123.5 and fields["cache_key"] == "abc"
    assert fields["storage_key"] == str(tmp_path / "t" / "abc") and fields["size"] == len(payload)
    stored = read_result(storage, "t/abc")
    assert stored is not None and stored.value == {"v": 1} and stored.header.expires == 123.5


def test_a_record_is_read_with_the_serializer_it_names(tmp_path):
    storage = open_storage(tmp_path)
    write_result(storage, "k", (1, 2), resolve_serializer("pickle"), cache_key=None, expires=None)
    stored = read_result(storage, "k", resolve_serializer("json"))
    assert stored is not None and stored.value == (1, 2)


def test_a_missing_record_reads_as_none(tmp_path):
    assert read_result(open_storage(tmp_path), "nothing/here") is None


@pytest.mark.parametrize("cut", [1, 10, 40])
def test_a_truncated_record_is_refused(cut):
    data = encode_record(RecordHeader("pickle", "k", "/x", 1.0, None), b"0123456789" * 5)
    with pytest.raises(CorruptRecord):
        decode_record(data[:-cut])


def test_an_altered_record_is_refused():
    data = bytearray(encode_record(RecordHeader("pickle", "k", "/x", 1.0, None), b"payload"))
    data[-2] ^= 1
    with pytest.raises(CorruptRecord, match="checksum"):
        decode_record(bytes(data))


def test_a_payload_that_does_not_deserialize_is_corrupt(tmp_path):
    storage = open_storage(tmp_path)
    storage.write("k", encode_record(RecordHeader("pickle", "k", "/x", 1.0, None), b"not a pickle"))
    with pytest.raises(CorruptRecord, match="cannot be deserialized with 'pickle'"):
        read_result(storage, "k")


def test_writes_replace_atomically_and_leave_no_temporary_files(tmp_path):
    storage = open_storage(tmp_path / "s")
    serializer = resolve_serializer("pickle")
    errors = []

    def writer(n: int) -> None:
        try:
            for i in range(50):
                write_result(storage, "same", [n] * 1000, serializer, cache_key="k", expires=None)
                stored = read_result(storage, "same")
                assert stored is not None and len(stored.value) == 1000
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert os.listdir(tmp_path / "s") == ["same"]


def test_serializers():
    assert resolve_serializer(None).type == "pickle"
    assert resolve_serializer("cloudpickle").type == "pickle"
    assert resolve_serializer("JSON").type == "json"
    with pytest.raises(SerializationError, match="unknown result_serializer 'yaml'"):
        resolve_serializer("yaml")
    with pytest.raises(SerializationError, match="invalid result_serializer=3"):
        resolve_serializer(3)
    pickled = resolve_serializer("pickle")
    assert pickled.loads(pickled.dumps(lambda x: x + 1))(1) == 2


def test_an_unserializable_value_names_its_type_and_the_serializer(tmp_path):
    with pytest.raises(SerializationError) as caught:
        write_result(open_storage(tmp_path), "k", threading.Lock(), resolve_serializer("pickle"),
                     cache_key=None, expires=None)
    assert "of type _thread.lock" in str(caught.value) and "'pickle' serializer" in str(caught.value)
    assert not (tmp_path / "k").exists()


@pytest.mark.parametrize(
    "key",
    ["../../etc/x", "a/../../b", "/etc/passwd", "C:/x", "a\\b", "", "a//b", "./a", "s3://bucket/x", "~/x", "a\x00b"],
)
def test_unsafe_storage_keys_are_refused(key):
    with pytest.raises(UnsafeStorageKey, match="which is refused"):
        check_storage_key(key)


@pytest.mark.parametrize("key", ["a", "a/b/c.json", "2024-01-01/report.pkl", "a..b", ".hidden"])
def test_safe_storage_keys_pass(key):
    check_storage_key(key)


def test_templates():
    context = {"parameters": {"day": "mon", "n": 3}, "task_run": None, "flow_run": None}
    assert render_storage_key("r/{parameters[day]}-{parameters[n]:03d}.json", context) == "r/mon-003.json"
    with pytest.raises(UnsafeStorageKey, match="cannot be filled in"):
        render_storage_key("{parameters[missing]}", context)
    with pytest.raises(UnsafeStorageKey, match="'..' would leave"):
        render_storage_key("{parameters[day]}", {"parameters": {"day": ".."}})
    with pytest.raises(UnsafeStorageKey, match="'..' would leave"):
        check_template("../{parameters[day]}")
    with pytest.raises(UnsafeStorageKey, match="not a valid template"):
        check_template("{unclosed")
    check_template("{parameters[day]}/x")


def test_fsspec_storage_round_trip():
    storage = open_storage("memory://results-test")
    write_result(storage, "a/b", 5, resolve_serializer("json"), cache_key="k", expires=None)
    stored = read_result(storage, "a/b")
    assert stored is not None and stored.value == 5
    assert storage.location("a/b") == "memory://results-test/a/b"
    assert read_result(storage, "a/missing") is None


def test_file_urls_are_local(tmp_path):
    storage = open_storage(f"file://{tmp_path}")
    storage.write("x", b"1")
    assert (tmp_path / "x").read_bytes() == b"1" and storage.local_root == Path(tmp_path)


def test_unknown_url_schemes_are_refused():
    with pytest.raises(ValueError, match="cannot open result_storage 'nosuchfs://x'"):
        open_storage("nosuchfs://x")
