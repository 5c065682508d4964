"""prefect.locking.filesystem.FileSystemLockManager: locks as files, shared by processes.
(Prefect 3 API: prefect.locking.filesystem.)"""
import subprocess
import sys
from pathlib import Path

from prefect.locking.filesystem import FileSystemLockManager

locks = FileSystemLockManager(lock_files_directory=Path("locks"))
print("acquire:", locks.acquire_lock("job", holder="parent"))
print("locked:", locks.is_locked("job"), locks.is_lock_holder("job", "parent"))

child = f"""
from pathlib import Path
from {FileSystemLockManager.__module__} import FileSystemLockManager
locks = FileSystemLockManager(lock_files_directory=Path("locks"))
print("child sees it locked:", locks.is_locked("job"))
print("child acquire with timeout:", locks.acquire_lock("job", holder="child", acquire_timeout=0.2))
"""
out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
print(out.stdout.strip())
try:
    locks.release_lock("job", holder="someone else")
except ValueError:
    print("wrong holder cannot release")
locks.release_lock("job", holder="parent")
print("after release:", locks.is_locked("job"), locks.wait_for_lock("job", timeout=1))
print("expiring:", locks.acquire_lock("job", holder="a", hold_timeout=0.2))
print("taken after expiry:", locks.acquire_lock("job", holder="b", acquire_timeout=5))
locks.release_lock("job", holder="b")
