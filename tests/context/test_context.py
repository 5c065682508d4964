"""headwater.context: Prefect 3's run contexts, and the module as Prefect 1's context object."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

import headwater
import headwater.context as context_module
from headwater import flow, tags, task
from headwater.context import (
    EngineContext,
    FlowRunContext,
    MissingContextError,
    TagsContext,
    TaskRunContext,
    get_run_context,
    get_settings_context,
)


def test_outside_any_run_there_is_no_context():
    assert FlowRunContext.get() is None
    assert TaskRunContext.get() is None
    with pytest.raises(MissingContextError, match="not in a flow or task run"):
        get_run_context()
    assert issubclass(MissingContextError, RuntimeError)


def test_flow_and_task_contexts_describe_the_live_runs(home):
    seen = {}

    @task(task_run_name="t-{x}", tags=["a"], retries=1)
    def inner(x):
        ctx = get_run_context()
        seen.setdefault("task_counts", []).append(ctx.task_run.run_count)
        if len(seen["task_counts"]) == 1:
            raise ValueError("first attempt fails")
        seen["task"] = (type(ctx), ctx.task.name, ctx.task_run.name, ctx.parameters, ctx.task_run.tags)
        seen["ids"] = (ctx.task_run.flow_run_id, FlowRunContext.get().flow_run.id)
        return x

    @flow(flow_run_name="run-{n}")
    def outer(n: int):
        ctx = get_run_context()
        seen["flow"] = (type(ctx), ctx.flow.name, ctx.flow_run.name, ctx.parameters, ctx.flow_run.run_count)
        seen["no_task"] = TaskRunContext.get()
        with tags("extra"):
            return inner(n)

    assert outer(3) == 3
    assert seen["flow"] == (EngineContext, "outer", "run-3", {"n": 3}, 1)
    assert seen["no_task"] is None
    assert seen["task"] == (TaskRunContext, "inner", "t-3", {"x": 3}, ["a", "extra"])
    assert seen["task_counts"] == [1, 2]  # read live: the retry sees its own attempt
    flow_run_id, flow_id = seen["ids"]
    assert isinstance(flow_id, uuid.UUID) and flow_run_id == flow_id


def test_a_subflow_called_in_a_task_sees_its_own_flow_context(home):
    seen = []

    @flow
    def sub():
        ctx = get_run_context()
        seen.append((type(ctx).__name__, ctx.flow.name, ctx.flow_run.parent_task_run_id is not None))

    @task
    def wraps():
        sub()

    @flow
    def top():
        wraps()

    top()
    assert seen == [("EngineContext", "sub", True)]


def test_result_store_follows_the_runs_result_storage(home, tmp_path):
    @task(result_storage=str(tmp_path / "r"))
    def inner():
        return get_run_context().result_store.storage.local_root

    @flow
    def outer():
        return inner()

    assert outer() == tmp_path / "r"


def test_tags_and_settings_contexts(home):
    assert TagsContext.get().current_tags == set()
    with tags("x", "y"):
        assert TagsContext.get().current_tags == {"x", "y"}
    assert get_settings_context().settings.home == home


def test_the_package_exposes_the_module_as_context():
    assert headwater.context is context_module
    assert callable(context_module)


def test_prefect1_reads_go_to_the_prefect1_context_object():
    prefect = headwater
    assert prefect.context.get("answer") is None
    assert prefect.context.get("answer", 7) == 7
    assert "answer" not in prefect.context
    with prefect.context(answer=42, parameters={"x": 1}):
        assert prefect.context.get("answer") == 42
        assert prefect.context.answer == 42
        assert prefect.context["parameters"]["x"] == 1
        assert "answer" in prefect.context
        assert prefect.context.to_dict()["answer"] == 42
    assert prefect.context.get("answer") is None
    with pytest.raises(AttributeError):
        prefect.context.answer  # noqa: B018


def test_private_and_dunder_names_are_not_delegated():
    with pytest.raises(AttributeError):
        context_module.__wrapped__  # noqa: B018
    with pytest.raises(AttributeError):
        context_module._private  # noqa: B018


def test_without_the_prefect1_engine_the_error_says_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "headwater.engine.static.context", None)
    with pytest.raises(ImportError, match="Prefect 1's context object"):
        context_module.get("parameters")
    with pytest.raises(AttributeError, match="Prefect 1's context object"):
        context_module.parameters  # noqa: B018
    assert not hasattr(context_module, "logger")


def test_import_headwater_does_not_load_the_context_module():
    code = "import sys, headwater; print('headwater.context' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
