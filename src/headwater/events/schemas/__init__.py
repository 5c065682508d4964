"""Event schemas at Prefect's path (`prefect.events.schemas`)."""
