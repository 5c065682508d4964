"""The one id generator: UUID version 7 layout, ordered by time, unique, fresh after fork."""

from __future__ import annotations

import os
import uuid

from headwater.core import clock
from headwater.core.ids import new_id


def test_an_id_is_a_version_7_rfc_4122_uuid() -> None:
    value = uuid.UUID(new_id())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert str(value) == str(value).lower()


def test_ids_carry_the_clock_s_milliseconds_so_later_ids_sort_after_earlier_ones() -> None:
    times = [1_700_000_000.0, 1_700_000_000.002, 1_700_000_060.5, 1_800_000_000.0]
    ids = []
    for t in times:
        with clock.use_clock(lambda t=t: t):
            ids.append(new_id())
    assert ids == sorted(ids)
    assert [uuid.UUID(i).int >> 80 for i in ids] == [int(t * 1000) for t in times]


def test_ids_made_in_the_same_millisecond_differ() -> None:
    with clock.use_clock(lambda: 1_700_000_000.0):
        ids = {new_id() for _ in range(10_000)}
    assert len(ids) == 10_000


def test_a_forked_child_does_not_repeat_its_parent_s_ids() -> None:
    read, write = os.pipe()
    with clock.use_clock(lambda: 1_700_000_000.0):
        pid = os.fork()
        if pid == 0:  # the child: report its next id, then leave without running pytest's teardown
            os.write(write, new_id().encode())
            os._exit(0)
        parent_id = new_id()
    os.close(write)
    _, status = os.waitpid(pid, 0)
    child_id = os.read(read, 64).decode()
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert uuid.UUID(child_id).version == 7
    assert child_id != parent_id
