"""prefect.plugins: a plugin found through its entry point, its setup_environment hook run
when plugins are enabled, its environment applied and summarised with secrets hidden."""
import asyncio
import logging
import os
import pathlib

from prefect.plugins import (
    PREFECT_PLUGIN_API_VERSION,
    HookContext,
    SetupResult,
    SetupSummary,
    register_hook,
    run_startup_hooks,
)
from prefect.settings import temporary_settings


@register_hook
def setup_environment(*, ctx):
    print("hook called; api_url =", ctx.api_url)
    return SetupResult(env={"DEMO_PLUGIN_REGION": "eu-west-1", "DEMO_PLUGIN_TOKEN": "s3cr3t"}, note="region chosen")


# This program is its own plugin: an installed distribution in the current directory
# declares it under the plugins entry point group (Prefect's name, then headwater's).
dist = pathlib.Path("demo_plugin-0.1.dist-info")
dist.mkdir()
(dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-plugin\nVersion: 0.1\n")
(dist / "entry_points.txt").write_text("[prefect.plugins]\ndemo = __main__\n\n[headwater.plugins]\ndemo = __main__\n")

messages = []


class Keep(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())


def logger_factory(name):
    logger = logging.getLogger("demo-plugins." + name)
    logger.handlers[:] = [Keep()]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


ctx = HookContext(prefect_version="0", api_url="http://127.0.0.1:9/api", logger_factory=logger_factory)
print(PREFECT_PLUGIN_API_VERSION)
print("disabled:", asyncio.run(run_startup_hooks(ctx)))
with temporary_settings(updates={"plugins.enabled": True}):
    summaries = asyncio.run(run_startup_hooks(ctx))
for summary in summaries:
    print(type(summary) is SetupSummary, summary.plugin, summary.env_preview, summary.note, summary.error)
print(os.environ["DEMO_PLUGIN_REGION"], os.environ["DEMO_PLUGIN_TOKEN"])
with temporary_settings(updates={"plugins.enabled": True, "plugins.safe_mode": True}):
    print("safe mode:", asyncio.run(run_startup_hooks(ctx)))
print(messages)
