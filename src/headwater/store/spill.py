"""Spill files: history a process could not write, kept for the next one.

When the history database stays locked past the bound, or its disk is full, a process
ending writes the records it still holds into `HEADWATER_HOME/spill/<time>-<pid>-<random>.jsonl`:
a header line naming the database, then one JSON array per record (the record type's
name, then its fields). The next process opening that database (a flow, or
`headwater database recover`) claims each file by renaming it (so two processes never
write one file twice), writes its records, and deletes it.

Standard library only (the embedded writer uses it in `python flow.py`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from headwater.orchestrator import records as _records
from headwater.store.processes import is_gone, this_host, this_process

__all__ = ["SPILL_DIR", "claim_spills", "decode_record", "encode_record", "replay_spills", "spill_records"]

SPILL_DIR = "spill"
_KINDS: dict[str, Any] = {name: getattr(_records, name) for name in _records.__all__
                          if name not in ("Record", "truncate_message")}


def encode_record(record: Any) -> str:
    """One record as a JSON line (without the newline)."""
    return json.dumps([type(record).__name__, *record], separators=(",", ":"), default=str)


def decode_record(line: str) -> Any:
    """The record a line of `encode_record` holds."""
    kind, *fields = json.loads(line)
    if kind == "TaskInputsRecorded":
        fields[1] = tuple(tuple(edge) for edge in fields[1])
    elif kind == "AssetMaterialized":
        fields[4] = [tuple(edge) for edge in fields[4]]
    return _KINDS[kind](*fields)


def spill_records(home: Path, database: str, records: Sequence[Any]) -> Path:
    """Write `records` into a new spill file under `home` and return its path.

    Raises:
        OSError: the file could not be written (it is then removed).
    """
    folder = home / SPILL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{os.urandom(3).hex()}.jsonl"
    partial = path.with_suffix(".partial")
    try:
        with open(partial, "w", encoding="utf-8") as f:
            f.write(json.dumps({"database": database, "process": this_process(), "records": len(records)}) + "\n")
            for record in records:
                f.write(encode_record(record) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except OSError:
        try:
            partial.unlink()
        except OSError:
            pass
        raise
    return path


def _header(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as f:
            header = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) else None


def claim_spills(home: Path, database: str) -> Iterator[Path]:
    """The spill files for `database`, each claimed for this process (renamed) before it
    is yielded. A file claimed by a process that has since died is claimed again."""
    folder = home / SPILL_DIR
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return  # no spill folder: the usual case, one failed system call
    host = this_host()
    for name in names:
        path = folder / name
        if name.endswith(".jsonl"):
            pass
        elif ".claimed-" in name:
            owner = name.rsplit(".claimed-", 1)[1]
            if is_gone(owner.replace("@", ":"), host) is not True:
                continue  # being written by a live process (or one we cannot check)
        else:
            continue
        header = _header(path)
        if header is None or header.get("database") != database:
            continue
        claimed = folder / f"{name.split('.')[0]}.jsonl.claimed-{this_process().replace(':', '@')}"
        try:
            os.rename(path, claimed)
        except OSError:
            continue  # another process claimed it first
        yield claimed


def replay_spills(home: Path, database: str, write: Callable[[Sequence[Any]], None],
                  batch_size: int = 5000) -> tuple[int, list[Path]]:
    """Write the records of every spill file for `database` with `write`, deleting each
    file once written. Returns (records written, files written).

    Raises:
        Exception: what `write` raised; the file being written stays claimed by this
            process and is claimed again by the next one once this one has ended.
    """
    written, done = 0, []
    for path in claim_spills(home, database):
        with open(path, encoding="utf-8") as f:
            f.readline()
            batch: list[Any] = []
            for line in f:
                if not line.strip():
                    continue
                batch.append(decode_record(line))
                if len(batch) >= batch_size:
                    write(batch)
                    written += len(batch)
                    batch = []
            if batch:
                write(batch)
                written += len(batch)
        path.unlink()
        done.append(path)
    return written, done
