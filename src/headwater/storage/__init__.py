"""Prefect 1's flow storage (`prefect.storage`): where a registered flow's code is kept.

    flow.storage = Module("etl.flows")                     # importable where the worker runs
    flow.storage = Local(path="/srv/etl/flow.py", stored_as_script=True)
    flow.storage = Local()                                 # pickled under ~/.prefect/flows

`storage.add_flow(flow)`, `storage.build()`, `storage.get_flow(name)` and `name in storage`
work as in Prefect 1. `flow.register()` reads a `Module` storage, or a `Local` one
stored as a script, to tell the worker where to load the flow from; otherwise the
deployment loads it from the file that defines it (headwater deployments name a
source file or module, never a pickle). Storage in Docker images, cloud object stores
is not here. `Git`, `GitHub`, `GitLab` and `Bitbucket` keep the flow's file in a git
repository, cloned with the `git` command before each run (`storage/git.py`).
"""

from headwater.storage.base import Storage
from headwater.storage.git import Bitbucket, Git, GitHub, GitLab
from headwater.storage.local import Local
from headwater.storage.module import Module
from headwater.storage.webhook import Webhook

__all__ = ["Bitbucket", "Git", "GitHub", "GitLab", "Local", "Module", "Storage", "Webhook",
           "get_default_storage_class"]


def get_default_storage_class() -> type[Storage]:
    """The storage class `prefect.config.flows.defaults.storage.default_class` names (Local)."""
    from headwater.engine.static import config as config_module

    name = str(config_module.config.get_nested("flows.defaults.storage.default_class") or "")
    found = {"Local": Local, "Module": Module, "Webhook": Webhook}.get(name.rpartition(".")[2])
    return found or Local
