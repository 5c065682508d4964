"""Prefect 1's secret tasks (`prefect.tasks.secrets`): `PrefectSecret`, `EnvVarSecret`."""

from headwater.tasks.secrets.base import EnvVarSecret, PrefectSecret, SecretBase, get_secret

__all__ = ["EnvVarSecret", "PrefectSecret", "SecretBase", "get_secret"]
