"""Prefect 1's `LocalAgent` (`prefect.agent.local`)."""

from headwater.agent.local.agent import LocalAgent

__all__ = ["LocalAgent"]
