"""headwater.testing.utilities: the test harness and assertion helpers."""

from __future__ import annotations

import warnings

import pytest

from headwater import flow
from headwater.core.settings import get_settings
from headwater.orchestrator import get_orchestrator
from headwater.testing.utilities import assert_does_not_warn, exceptions_equal, prefect_test_harness


def _flow_run_names() -> list[str]:
    orchestrator = get_orchestrator()
    assert orchestrator.flush(timeout=10)
    return [r.name for r in orchestrator.store.flow_runs.list_flow_runs(limit=50)]


def test_runs_inside_the_harness_go_to_a_throwaway_home(home, monkeypatch):
    monkeypatch.setenv("HEADWATER_API_URL", "http://127.0.0.1:9/api")  # ignored inside the harness

    @flow(flow_run_name="{label}")
    def named(label: str) -> str:
        return label

    outer_settings = get_settings()
    with prefect_test_harness():
        inner = get_settings()
        assert inner.home != home and inner.api_url is None
        assert named("inside") == "inside"
        assert _flow_run_names() == ["inside"]
        harness_home = inner.home
    assert not harness_home.exists()
    assert get_settings() is outer_settings
    with prefect_test_harness():
        assert _flow_run_names() == []  # each harness starts empty


def test_outside_runs_keep_their_history(home):
    @flow(flow_run_name="{label}")
    def named(label: str) -> str:
        return label

    named("before")
    with prefect_test_harness():
        named("inside")
    named("after")
    assert sorted(_flow_run_names()) == ["after", "before"]


def test_helpers():
    assert exceptions_equal(KeyError("a"), KeyError("a")) and not exceptions_equal(KeyError("a"), KeyError("b"))
    with pytest.raises(AssertionError, match="Warning was raised"), assert_does_not_warn():
        warnings.warn("x", DeprecationWarning)
    with assert_does_not_warn(ignore_warnings=[DeprecationWarning]):
        warnings.warn("x", DeprecationWarning)


def test_result_assertions_read_the_record_and_its_storage(tmp_path):
    import asyncio

    from headwater import task
    from headwater.filesystems import LocalFileSystem
    from headwater.testing.utilities import (
        assert_blocks_equal,
        assert_uses_result_serializer,
        assert_uses_result_storage,
    )

    with prefect_test_harness():
        results = LocalFileSystem(basepath=str(tmp_path / "results"))
        results.save("results")
        other = LocalFileSystem(basepath=str(tmp_path / "other"))
        other.save("other")
        assert_blocks_equal(LocalFileSystem.load("results"), results)
        with pytest.raises(AssertionError):
            assert_blocks_equal(LocalFileSystem.load("other"), results)

        @task(persist_result=True, result_storage="local-file-system/results", result_serializer="json")
        def answer() -> int:
            return 42

        @flow
        def run():
            return answer(return_state=True)

        state = run()
        asyncio.run(assert_uses_result_serializer(state, "json"))
        with pytest.raises(AssertionError, match="written with 'json', not 'pickle'"):
            asyncio.run(assert_uses_result_serializer(state, "pickle"))
        asyncio.run(assert_uses_result_storage(state, "local-file-system/results"))
        asyncio.run(assert_uses_result_storage(state, results))
        with pytest.raises(AssertionError, match="is not in"):
            asyncio.run(assert_uses_result_storage(state, other))
