"""Plugins' startup hooks (headwater/plugins.py): found through real entry points, run
once before a process's first run when enabled, their environment applied."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.settings import Settings
from headwater.plugins import HookContext, SetupSummary, run_startup_hooks

PLUGIN = '''
from headwater.plugins import SetupResult, register_hook

calls = []


@register_hook
def setup_environment(*, ctx):
    calls.append(ctx.api_url)
    return SetupResult(env={"HW_TEST_PLUGIN_VALUE": "from-plugin", "HW_TEST_PLUGIN_TOKEN": "s3cr3t"}, note="set")
'''


def install_plugin(directory: Path, names: tuple[str, ...] = ("demo",)) -> None:
    """A distribution in `directory` declaring `plugin_module` under each name."""
    (directory / "plugin_module.py").write_text(PLUGIN)
    dist = directory / "demo_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-plugin\nVersion: 0.1\n")
    lines = "".join(f"{name} = plugin_module\n" for name in names)
    (dist / "entry_points.txt").write_text(f"[headwater.plugins]\n{lines}")


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    install_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("plugin_module", None)
    for name in ("HW_TEST_PLUGIN_VALUE", "HW_TEST_PLUGIN_TOKEN"):
        os.environ.pop(name, None)


def context() -> HookContext:
    return HookContext(prefect_version="0", api_url="http://example/api", logger_factory=logging.getLogger)


def test_disabled_by_default_runs_nothing(plugin_dir: Path) -> None:
    assert asyncio.run(run_startup_hooks(context(), Settings())) == []
    assert "HW_TEST_PLUGIN_VALUE" not in os.environ


def test_enabled_runs_the_hook_and_applies_its_environment(plugin_dir: Path) -> None:
    summaries = asyncio.run(run_startup_hooks(context(), Settings(plugins_enabled=True)))
    assert summaries == [SetupSummary("demo", {"HW_TEST_PLUGIN_VALUE": "from-plugin",
                                               "HW_TEST_PLUGIN_TOKEN": "••••••"}, "set", None)]
    assert os.environ["HW_TEST_PLUGIN_VALUE"] == "from-plugin"
    assert sys.modules["plugin_module"].calls == ["http://example/api"]


@pytest.mark.parametrize("settings", [
    {"plugins_deny": "demo"},
    {"plugins_allow": "someone-else"},
    {"plugins_safe_mode": True},
])
def test_deny_allow_and_safe_mode_call_no_hook(plugin_dir: Path, settings: dict[str, object]) -> None:
    assert asyncio.run(run_startup_hooks(context(), Settings(plugins_enabled=True, **settings))) == []
    assert "HW_TEST_PLUGIN_VALUE" not in os.environ


@pytest.mark.parametrize("program", [
    """
    import os
    from headwater import flow

    @flow
    def show():
        return os.environ.get("HW_TEST_PLUGIN_VALUE")

    print(show())
    """,
    """
    import asyncio, os
    from headwater import flow

    @flow
    async def show():
        return os.environ.get("HW_TEST_PLUGIN_VALUE")

    print(asyncio.run(show()))
    """,
], ids=["sync", "async"])
def test_a_process_runs_the_hooks_before_its_first_flow(tmp_path: Path, program: str) -> None:
    install_plugin(tmp_path)
    (tmp_path / "flow.py").write_text(textwrap.dedent(program))
    env = {**os.environ, "HEADWATER_HOME": str(tmp_path / "home"), "HEADWATER_LOGGING_TO_CONSOLE": "false"}
    env.pop("HW_TEST_PLUGIN_VALUE", None)
    run = subprocess.run([sys.executable, "flow.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env={**env, "HEADWATER_PLUGINS_ENABLED": "true"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "from-plugin"
    run = subprocess.run([sys.executable, "flow.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "None"
