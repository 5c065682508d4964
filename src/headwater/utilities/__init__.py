"""Utilities at Prefect's `prefect.utilities` paths (annotations, Prefect 1's edges and helpers)."""
