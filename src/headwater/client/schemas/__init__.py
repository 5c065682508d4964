"""The client's models at Prefect's paths: `filters`, `sorting`, `objects`, `actions`."""
