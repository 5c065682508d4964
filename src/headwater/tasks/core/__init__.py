"""Prefect 1's core tasks (`prefect.tasks.core`): Constant, operators, collections, resource managers."""

from headwater.tasks.core.constants import Constant

__all__ = ["Constant"]
