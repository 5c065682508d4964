"""headwater.filesystems: LocalFileSystem / RemoteFileSystem, and as result_storage."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from headwater import flow, task
from headwater.filesystems import LocalFileSystem, RemoteFileSystem


def test_local_reads_and_writes_under_its_base(tmp_path):
    fs = LocalFileSystem(basepath=tmp_path / "base")
    path = fs.write_path("a/b.txt", b"data")
    assert path == str(tmp_path / "base" / "a" / "b.txt")
    assert fs.read_path("a/b.txt") == b"data"
    with pytest.raises(ValueError, match="outside of the base path"):
        fs.write_path("../escape.txt", b"x")
    with pytest.raises(ValueError, match="does not exist"):
        fs.read_path("nope")
    with pytest.raises(ValueError, match="not a file"):
        fs.read_path("a")


def test_remote_over_fsspec_memory():
    fs = RemoteFileSystem(basepath="memory://unit-test/base")
    assert fs.write_path("x/y.bin", b"1") == "memory://unit-test/base/x/y.bin"
    assert fs.read_path("x/y.bin") == b"1"
    assert fs.read_path("memory://unit-test/base/x/y.bin") == b"1"
    for bad in ("../up", "memory://elsewhere/x", "s3://unit-test/base/x"):
        with pytest.raises(ValueError):
            fs.read_path(bad)
    for base in ("relative/path", "file:///tmp", "memory://"):
        with pytest.raises(ValidationError):
            RemoteFileSystem(basepath=base)


def test_filesystem_objects_work_as_result_storage(home, tmp_path):
    # Saved first: as on Prefect, a block used as result storage must have been saved.
    local = LocalFileSystem(basepath=tmp_path / "results")
    local.save("fs-test-local")
    remote_fs = RemoteFileSystem(basepath="memory://results-test/r")
    remote_fs.save("fs-test-remote")

    @task(persist_result=True, result_storage=local, result_storage_key="answer")
    def compute():
        return 42

    @task(persist_result=True, result_storage="remote-file-system/fs-test-remote",
          result_storage_key="remote-answer")
    def remote():
        return 7

    @flow
    def pipeline():
        return compute() + remote()

    assert pipeline() == 49
    assert (tmp_path / "results" / "answer").is_file()
    assert RemoteFileSystem(basepath="memory://results-test/r").read_path("remote-answer")


def test_null_file_system_stores_nothing():
    from headwater.filesystems import NullFileSystem

    fs = NullFileSystem()
    assert fs.write_path("x", b"1") is None and fs.read_path("x") is None
