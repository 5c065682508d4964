"""Testing helpers, as in `prefect.testing.utilities`.

    with prefect_test_harness():     # runs recorded into a throwaway home, then removed
        assert my_flow() == "Done!"

The harness swaps the process's settings for ones whose `HEADWATER_HOME` is a new
temporary directory (embedded history, no server: `api_url` and `database_url` are
cleared), and a fresh orchestrator records into it. On exit the previous settings and
orchestrator come back and the directory is deleted.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from typing import Any

__all__ = [
    "assert_blocks_equal", "assert_does_not_warn", "assert_uses_result_serializer", "assert_uses_result_storage",
    "exceptions_equal", "get_most_recent_flow_run", "prefect_test_harness",
]


@contextlib.contextmanager
def prefect_test_harness(server_startup_timeout: int | None = 30) -> Iterator[None]:
    """Run flows against a temporary, empty history for the length of the block.

    Args:
        server_startup_timeout: accepted for Prefect compatibility; no server is started.

    Example:
        >>> @pytest.fixture(autouse=True, scope="session")  # doctest: +SKIP
        ... def isolated_history():
        ...     with prefect_test_harness():
        ...         yield
    """
    from headwater.core.settings import get_settings, load_settings, reset_settings
    from headwater.orchestrator import set_orchestrator, shutdown

    home = tempfile.mkdtemp(prefix="headwater-test-")
    previous_settings = get_settings()
    reset_settings(load_settings(home=home, api_url=None, database_url=None, results_storage=None))
    previous_orchestrator = set_orchestrator(None)  # the next run creates one for the new settings
    try:
        yield
    finally:
        shutdown()  # flushes what the block's runs recorded, then closes
        set_orchestrator(previous_orchestrator)
        reset_settings(previous_settings)
        shutil.rmtree(home, ignore_errors=True)


def exceptions_equal(a: BaseException, b: BaseException) -> bool:
    """Whether two exceptions are the same, or of one type with the same arguments (as
    after a round trip through pickling)."""
    if a == b:
        return True
    return type(a) is type(b) and getattr(a, "args", None) == getattr(b, "args", None)


@contextlib.contextmanager
def assert_does_not_warn(ignore_warnings: list[type[Warning]] | None = None) -> Iterator[None]:
    """Fail (AssertionError) if the block emits a warning not in `ignore_warnings`."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for category in ignore_warnings or []:
            warnings.filterwarnings("ignore", category=category)
        try:
            yield
        except Warning as warning:
            raise AssertionError(f"Warning was raised. {warning!r}") from warning


async def get_most_recent_flow_run(client: Any = None, flow_name: str | None = None) -> Any:
    """The flow run Prefect's helper of this name returns: the first by expected start
    time, ascending (of the flow named `flow_name` if given).

    Args:
        client: an async client (default: a new `get_client()`).
        flow_name: only runs of this flow.

    Raises:
        IndexError: there is no such flow run.
    """
    from headwater.client.schemas.filters import FlowFilter, FlowFilterName
    from headwater.client.schemas.sorting import FlowRunSort

    if client is None:
        from headwater.client.orchestration import get_client

        async with get_client() as owned:
            return await get_most_recent_flow_run(owned, flow_name)
    flow_filter = FlowFilter(name=FlowFilterName(any_=[flow_name])) if flow_name else None
    flow_runs = await client.read_flow_runs(sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1,
                                            flow_filter=flow_filter)
    return flow_runs[0]


def assert_blocks_equal(found: Any, expected: Any, exclude_private: bool = True, **kwargs: Any) -> None:
    """Fail (AssertionError) unless `found` is a block of `expected`'s class with the same
    fields (private attributes, such as the saved document's id, left out unless
    `exclude_private=False`). `kwargs` go to both `model_dump` calls."""
    assert isinstance(found, type(expected)), (
        f"Unexpected type {type(found).__name__}, expected {type(expected).__name__}")
    exclude = set(kwargs.pop("exclude", set()))
    if exclude_private:
        exclude.update(found.__private_attributes__)
    assert found.model_dump(exclude=exclude, **kwargs) == expected.model_dump(exclude=exclude, **kwargs)


def _record_location(state: Any) -> str:
    """Where the state's persisted result lives (its `storage_key`)."""
    from headwater.results.store import ResultReference

    data = getattr(state, "data", None)
    if isinstance(data, ResultReference):
        return data.storage.location(data.key)
    location = (getattr(state, "details", None) or {}).get("storage_key")
    assert location, f"{state!r} has no persisted result (run it with persist_result=True)"
    return str(location)


async def assert_uses_result_serializer(state: Any, serializer: Any, client: Any = None) -> None:
    """Fail (AssertionError) unless the state's persisted result was written with
    `serializer` (a name such as "json", or a serializer object): read from the record's
    header in its storage. `client` is accepted for Prefect's signature and not needed."""
    import posixpath

    from headwater.results.records import decode_record
    from headwater.results.storage import open_storage

    location = _record_location(state)
    folder, key = posixpath.split(location)
    data = open_storage(folder).read(key)
    assert data is not None, f"the result record at {location} is missing"
    header, _ = decode_record(data)
    wanted = serializer if isinstance(serializer, str) else serializer.type
    assert header.serializer == wanted, f"the result at {location} was written with {header.serializer!r}, " \
        f"not {wanted!r}"


async def assert_uses_result_storage(state: Any, storage: Any, client: Any = None) -> None:
    """Fail (AssertionError) unless the state's persisted result lives in `storage`: a
    file system block, or a saved one's slug ("local-file-system/my-results"). headwater
    states keep where the record is rather than the block's id, so the record's
    location is checked to be inside the storage's `basepath`."""
    import os

    from headwater.blocks.core import Block
    from headwater.results.defaults import resolve_result_storage

    block = storage if isinstance(storage, Block) else await Block.aload(storage)
    basepath = getattr(resolve_result_storage(block), "basepath", None)
    root = os.path.expanduser(str(basepath)) if basepath else os.getcwd()
    location = _record_location(state)
    if "://" not in root:
        root, location = os.path.abspath(root), os.path.abspath(location.removeprefix("file://"))
    assert location == root or location.startswith(root.rstrip("/") + "/"), (
        f"the result at {location} is not in {storage!r} ({root})")
