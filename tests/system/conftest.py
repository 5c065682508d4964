"""Fixtures for the whole-system proofs (issue #10): load, faults, hostile input.

The load and fault proofs run at a size that fits CI by default; set
``HEADWATER_PROOF=full`` to run them at the full size docs/reliability.md names.
"""

from __future__ import annotations

import os

import pytest

FULL = os.environ.get("HEADWATER_PROOF", "").strip().lower() == "full"


@pytest.fixture(scope="session")
def full_size() -> bool:
    """True when the proofs run at full size (HEADWATER_PROOF=full)."""
    return FULL
