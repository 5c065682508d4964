"""Helpers for testing code that uses headwater, as in `prefect.testing`
(see headwater.testing.utilities)."""
