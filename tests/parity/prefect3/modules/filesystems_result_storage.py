"""prefect.filesystems: LocalFileSystem and RemoteFileSystem read and write bytes under a
base path and refuse paths outside it; a LocalFileSystem is the storage of a ResultStore.
(Prefect 3 docs: results / result storage; API: prefect.filesystems, prefect.results.)"""
import os

from prefect.filesystems import LocalFileSystem, RemoteFileSystem
from prefect.results import ResultStore

fs = LocalFileSystem(basepath="base")
written = fs.write_path("nested/data.bin", b"hello")
print("written under base:", os.path.relpath(written), fs.read_path("nested/data.bin"))
for bad in ("../outside.txt", "nested"):
    try:
        fs.read_path(bad)
    except ValueError as exc:
        print("refused:", bad, "->", "outside" if "outside" in str(exc) else "not a file")
try:
    fs.read_path("missing.txt")
except ValueError:
    print("missing file: ValueError")

memory = RemoteFileSystem(basepath="memory://bucket/prefix")
print("remote write:", memory.write_path("x/y.txt", b"remote bytes"))
print("remote read:", memory.read_path("x/y.txt"))
try:
    memory.read_path("memory://other/prefix/x/y.txt")
except ValueError:
    print("remote refuses another location")
for base in ("no-scheme/path", "file:///tmp/x"):
    try:
        RemoteFileSystem(basepath=base)
    except ValueError:
        print("invalid basepath:", base)


store = ResultStore(result_storage=LocalFileSystem(basepath="results"))
store.write({"value": 42}, key="answer")
print("store read:", store.read("answer").result, "exists:", store.exists("answer"), store.exists("other"))
print("record file written:", os.path.isfile(os.path.join("results", "answer")))
