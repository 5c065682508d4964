"""emit_event and the event models (prefect.events): what emit_event returns, the
resource and related resource accessors, and the errors of malformed events."""

from pydantic import ValidationError

from prefect.events import Event, RelatedResource, Resource, emit_event

emitted = emit_event(
    event="acme.order.shipped",
    resource={"prefect.resource.id": "acme.order.1042", "prefect.resource.name": "Order 1042", "carrier": "ups"},
    related=[{"prefect.resource.id": "acme.customer.7", "prefect.resource.role": "customer"},
             {"prefect.resource.id": "acme.warehouse.3", "prefect.resource.role": "origin", "city": "Lyon"}],
    payload={"items": 3, "express": True},
)
print(type(emitted).__name__, isinstance(emitted, Event))
print(emitted.event, emitted.resource.id, emitted.resource.name, emitted.resource["carrier"])
print(emitted.payload)
print([(r.id, r.role) for r in emitted.related])
print(emitted.related[1]["city"], emitted.related[1].name)
print([r.id for r in emitted.involved_resources])
print(emitted.follows, emitted.occurred.tzinfo is not None)
print(emitted.resource_in_role["customer"].id)
print(sorted(emitted.resource.keys()))

plain = emit_event(event="acme.ping", resource={"prefect.resource.id": "acme.probe"})
print(plain.payload, plain.related, plain.resource.name)

chained = emit_event(event="acme.order.delivered", resource={"prefect.resource.id": "acme.order.1042"},
                     follows=emitted)
print(chained.follows == emitted.id)

print(Resource({"prefect.resource.id": "x.y"}).id)
print(RelatedResource({"prefect.resource.id": "x.z", "prefect.resource.role": "r"}).role)

# A malformed event is logged and not sent: emit_event returns None.
for resource in ({}, {"prefect.resource.id": ""}, {"prefect.resource.id": 5}):
    print("resource", resource, "->", emit_event(event="acme.bad", resource=resource))
print("related without a role ->",
      emit_event(event="acme.bad", resource={"prefect.resource.id": "a"}, related=[{"prefect.resource.id": "b"}]))
try:
    Event(event="acme.bad", resource={"prefect.resource.id": "a"}, payload="not a dict")
except ValidationError as exc:
    print("payload not a dict ->", exc.error_count(), "error(s)")
try:
    Event(event="acme.bad", resource={"prefect.resource.id": ""})
except ValidationError as exc:
    print("empty resource id ->", exc.error_count(), "error(s)")

# Too large to send: raised, not logged.
try:
    emit_event(event="acme.big", resource={"prefect.resource.id": "acme.big"}, payload={"blob": "x" * 2_000_000})
except Exception as exc:
    print(type(exc).__name__, isinstance(exc, Exception))
