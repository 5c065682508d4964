"""headwater.locking: memory and file-system lock managers."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from headwater.locking import LockManager
from headwater.locking.filesystem import FileSystemLockManager
from headwater.locking.memory import MemoryLockManager


@pytest.fixture(params=["memory", "filesystem"])
def locks(request, tmp_path):
    if request.param == "memory":
        manager = MemoryLockManager()
        yield manager
        manager._held.clear()
    else:
        yield FileSystemLockManager(lock_files_directory=tmp_path / "locks")


def test_both_follow_the_protocol(locks):
    assert isinstance(locks, LockManager)


def test_one_holder_at_a_time(locks):
    assert locks.acquire_lock("k", holder="a")
    assert locks.acquire_lock("k", holder="a")  # the holder again: at once
    assert locks.is_locked("k") and locks.is_lock_holder("k", "a") and not locks.is_lock_holder("k", "b")
    assert not locks.acquire_lock("k", holder="b", acquire_timeout=0.05)
    with pytest.raises(ValueError, match="No lock held by b"):
        locks.release_lock("k", holder="b")
    assert not locks.wait_for_lock("k", timeout=0.05)
    locks.release_lock("k", holder="a")
    assert not locks.is_locked("k") and locks.wait_for_lock("k", timeout=0)


def test_a_waiter_gets_the_lock_when_it_is_released(locks):
    assert locks.acquire_lock("k", holder="a")
    started = threading.Event()
    got = []

    def waiter():
        started.set()
        got.append(locks.acquire_lock("k", holder="b"))

    thread = threading.Thread(target=waiter)
    thread.start()
    started.wait(5)
    locks.release_lock("k", holder="a")
    thread.join(10)
    assert got == [True] and locks.is_lock_holder("k", "b")
    locks.release_lock("k", holder="b")


def test_an_expired_lock_is_free(locks):
    assert locks.acquire_lock("k", holder="a", hold_timeout=0.05)
    assert locks.acquire_lock("k", holder="b", acquire_timeout=5)
    assert locks.is_lock_holder("k", "b") and not locks.is_lock_holder("k", "a")
    locks.release_lock("k", holder="b")


def test_memory_manager_is_one_per_process():
    assert MemoryLockManager() is MemoryLockManager()


def test_file_locks_exclude_other_processes(tmp_path):
    locks = FileSystemLockManager(lock_files_directory=tmp_path)
    assert locks.acquire_lock("shared key/with unsafe:chars", holder="parent")
    code = (f"from headwater.locking.filesystem import FileSystemLockManager as F; "
            f"l = F({str(tmp_path)!r}); print(l.is_locked('shared key/with unsafe:chars'), "
            f"l.acquire_lock('shared key/with unsafe:chars', holder='child', acquire_timeout=0.05))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False"], out.stderr


@pytest.mark.parametrize("content", ["[1, 2]", "null", "7", '"text"'])
def test_a_lock_file_holding_json_but_no_object_counts_as_expired(tmp_path, content):
    locks = FileSystemLockManager(lock_files_directory=tmp_path)
    assert locks.acquire_lock("k", holder="a")
    (lock_file,) = tmp_path.iterdir()
    lock_file.write_text(content)  # damaged, e.g. by hand: not what a holder writes
    assert not locks.is_locked("k")
    assert locks.acquire_lock("k", holder="b", acquire_timeout=5)
    assert locks.is_lock_holder("k", "b")
