"""prefect.plugins: a hook that raises is reported in its summary, and in strict mode stops the
process; a hook taking ctx positionally is refused when its plugin is loaded."""
import asyncio
import logging
import pathlib

from prefect.plugins import HookContext, register_hook, run_startup_hooks
from prefect.settings import temporary_settings


@register_hook
def setup_environment(*, ctx):
    raise RuntimeError("cannot reach the vault")


class Positional:
    @register_hook
    def setup_environment(self, ctx):
        print("never called")


positional = Positional()

dist = pathlib.Path("broken_plugin-0.1.dist-info")
dist.mkdir()
(dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 0.1\n")
(dist / "entry_points.txt").write_text("".join(
    f"[{group}]\nbroken = __main__\npositional = __main__:positional\n\n"
    for group in ("prefect.plugins", "headwater.plugins")))

failures = []


class Keep(logging.Handler):
    def emit(self, record):
        if record.levelno >= logging.ERROR:
            failures.append(record.getMessage())


logger = logging.getLogger("quiet-plugins")
logger.addHandler(Keep())
logger.propagate = False
ctx = HookContext(prefect_version="0", api_url=None, logger_factory=lambda name: logger)
with temporary_settings(updates={"plugins.enabled": True}):
    for summary in asyncio.run(run_startup_hooks(ctx)):
        print(summary.plugin, summary.env_preview, summary.note, summary.error)
with temporary_settings(updates={"plugins.enabled": True, "plugins.strict": True}):
    try:
        asyncio.run(run_startup_hooks(ctx))
    except SystemExit as exc:
        print("SystemExit:", exc)
print(sorted(set(failures)))
