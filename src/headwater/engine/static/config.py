"""Prefect 1's `prefect.config`: nested settings read with attributes.

    import headwater as prefect
    prefect.config.flows.checkpointing              # False unless PREFECT__FLOWS__CHECKPOINTING=true
    prefect.config.flows.eager_edge_validation = True   # check each new edge for cycles at once

Only the keys a static flow reads are kept (Prefect 1's server, cloud and agent
sections have no counterpart). As in Prefect 1, what a run reads from the environment
when the process starts (`checkpointing`) does not change when the object is edited;
`eager_edge_validation`, `engine.*.default_class` and the logging keys are read on use.
Each can be set from the environment with Prefect 1's
names, `PREFECT__SECTION__KEY=value` (`true`/`false` and numbers are converted), and
new keys may be added the same way. headwater's own settings are `HEADWATER_*`
(`headwater.core.settings`); this object is only for code written for Prefect 1.
"""

from __future__ import annotations

import ast
import copy
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["Config", "config", "load_config", "loaded_config"]

_ENV_PREFIX = "PREFECT__"

_DEFAULTS: dict[str, Any] = {
    "debug": False,
    "backend": "server",
    "logging": {
        "level": "INFO",
        "format": "[%(asctime)s] %(levelname)s - %(name)s | %(message)s",
        "datefmt": "%Y-%m-%d %H:%M:%S%z",
        "log_attributes": [],
        "extra_loggers": [],
    },
    "flows": {
        "eager_edge_validation": False,
        "run_on_schedule": True,
        "checkpointing": False,
        "defaults": {"storage": {"add_default_labels": True, "default_class": "prefect.storage.Local"}},
    },
    "tasks": {"defaults": {"max_retries": False, "retry_delay": False}},
    "engine": {
        "executor": {"default_class": "prefect.executors.LocalExecutor"},
        "flow_runner": {"default_class": "prefect.engine.flow_runner.FlowRunner"},
        "task_runner": {"default_class": "prefect.engine.task_runner.TaskRunner"},
    },
    "context": {"secrets": {}},
    "cloud": {"use_local_secrets": True},
}


class Config(dict[str, Any]):
    """A dict whose keys are also attributes, nested (`config.flows.checkpointing`).

    A missing key read as an attribute raises AttributeError naming it, as Prefect 1's does.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"config has no key {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = _wrap(value)

    def __delattr__(self, name: str) -> None:
        del self[name]

    def get_nested(self, path: str, default: Any = None) -> Any:
        """The value at a dotted `path` ("flows.checkpointing"), or `default`."""
        value: Any = self
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return default
            value = value[part]
        return value

    def to_dict(self) -> dict[str, Any]:
        """A plain nested dict copy."""
        return {k: v.to_dict() if isinstance(v, Config) else copy.deepcopy(v) for k, v in self.items()}


def _wrap(value: Any) -> Any:
    if isinstance(value, Mapping) and not isinstance(value, Config):
        return Config({k: _wrap(v) for k, v in value.items()})
    return value


def _parse(text: str) -> Any:
    """An environment value as Prefect 1 reads it: booleans, numbers, Python literals, else text."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """The defaults with every `PREFECT__A__B=value` of `environ` (default: os.environ) applied."""
    loaded = Config({key: _wrap(value) for key, value in copy.deepcopy(_DEFAULTS).items()})
    for key, text in (os.environ if environ is None else environ).items():
        if not key.startswith(_ENV_PREFIX):
            continue
        path = [part.lower() for part in key[len(_ENV_PREFIX):].split("__") if part]
        if not path:
            continue
        node = loaded
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, Config):
                child = node[part] = Config()
            node = child
        node[path[-1]] = _parse(text)
    return loaded


_loaded: list[Config] = []


def loaded_config() -> Config | None:
    """The process's config if anything has read it yet, else None (reading it loads it)."""
    return _loaded[0] if _loaded else None


def __getattr__(name: str) -> Any:
    # `config` is built from the environment on first use, as Prefect 1 builds it on import.
    if name == "config":
        if not _loaded:
            _loaded.append(load_config())
        return _loaded[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
