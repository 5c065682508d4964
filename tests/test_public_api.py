"""The public names are a contract (DESIGN.md): Prefect code runs after renaming its imports."""

import importlib

import pytest

PUBLIC = {
    "headwater": ["flow", "task", "Flow", "Parameter", "get_run_logger", "unmapped", "wait", "as_completed", "tags",
                  "State", "serve", "deploy", "__version__"],
    "headwater.states": ["Completed", "Failed", "Crashed", "Cancelled", "Pending", "Running", "Scheduled", "Cached",
                         "Late", "AwaitingRetry", "Retrying", "TimedOut", "Paused", "StateType"],
    "headwater.cache_policies": ["DEFAULT", "INPUTS", "TASK_SOURCE", "FLOW_PARAMETERS", "RUN_ID", "NONE", "NO_CACHE"],
    "headwater.concurrency.sync": ["concurrency", "rate_limit"],
    "headwater.concurrency.asyncio": ["concurrency", "rate_limit"],
    "headwater.task_runners": ["ThreadPoolTaskRunner", "ProcessPoolTaskRunner"],
    "headwater.tasks": ["exponential_backoff", "task_input_hash"],
    "headwater.futures": ["wait", "as_completed"],
    "headwater.logging": ["get_run_logger"],
    "headwater.runtime": ["flow_run", "task_run"],
    "headwater.dask": ["DaskTaskRunner"],
    "headwater_dask": ["DaskTaskRunner"],
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_public_names_exist_and_are_listed(module_name):
    module = importlib.import_module(module_name)
    exported = set(getattr(module, "__all__", ()))
    for name in PUBLIC[module_name]:
        assert getattr(module, name) is not None, f"{module_name}.{name}"
        if name != "__version__":
            assert name in exported, f"{name} missing from {module_name}.__all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ lists {name}, which does not exist"


def test_the_same_object_behind_both_paths():
    import headwater
    import headwater.futures
    import headwater.logging

    assert headwater.wait is headwater.futures.wait
    assert headwater.get_run_logger is headwater.logging.get_run_logger


def test_importing_headwater_stays_light():
    import subprocess
    import sys

    code = "import sys, headwater; print(sorted(m for m in ('sqlalchemy', 'pydantic', 'fastapi') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_submodules_are_attributes_of_the_package_as_in_prefect():
    import subprocess
    import sys

    # A fresh process: the submodules must load on attribute access, not because a test imported them.
    code = ("import headwater as prefect; "
            "print(prefect.states.Completed.__name__, prefect.runtime.flow_run.__name__, "
            "hasattr(prefect, 'no_such_module'), hasattr(prefect, '_private'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["Completed", "headwater.runtime.flow_run", "False", "False"], out.stdout + out.stderr
