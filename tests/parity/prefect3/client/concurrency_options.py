"""Deployment concurrency options (prefect.client.schemas.objects): ConcurrencyLimitConfig
given to flow.to_deployment(concurrency_limit=...) becomes a limit and ConcurrencyOptions;
the strategies, the models' checks, and ConcurrencyLeaseHolder."""

import uuid

from pydantic import ValidationError

from prefect import flow
from prefect.client.schemas.objects import (
    ConcurrencyLeaseHolder,
    ConcurrencyLimitConfig,
    ConcurrencyLimitStrategy,
    ConcurrencyOptions,
)


@flow
def nightly():
    pass


print(list(ConcurrencyLimitStrategy), ConcurrencyLimitStrategy("CANCEL_NEW").value)
config = ConcurrencyLimitConfig(limit=1, collision_strategy="CANCEL_NEW")
print(repr(config))
print(config.model_dump(mode="json"))
limited = nightly.to_deployment("limited", concurrency_limit=config)
print(repr(limited.concurrency_limit), repr(limited.concurrency_options))
plain = nightly.to_deployment("plain", concurrency_limit=3)
print(repr(plain.concurrency_limit), repr(plain.concurrency_options))
graced = nightly.to_deployment("graced", concurrency_limit=ConcurrencyLimitConfig(limit=2, grace_period_seconds=120))
print(repr(graced.concurrency_limit), repr(graced.concurrency_options))
print(repr(ConcurrencyOptions(collision_strategy="ENQUEUE")))
for make in (lambda: ConcurrencyOptions(collision_strategy="ENQUEUE", grace_period_seconds=5),
             lambda: ConcurrencyLimitConfig(limit=1, collision_strategy="DROP"),
             lambda: ConcurrencyLeaseHolder(type="worker", id=uuid.UUID(int=1), extra=1)):
    try:
        make()
    except ValidationError as exc:
        print("invalid:", [(".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()])
print(repr(ConcurrencyLeaseHolder(type="task_run", id=uuid.UUID(int=7))))
