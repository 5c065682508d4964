"""prefect.serializers JSONSerializer / PickleSerializer round-trip values through dumps/loads, and report their type names.

Exercises the serializer classes directly."""
from prefect.serializers import JSONSerializer, PickleSerializer

data = {"a": [1, 2], "b": (3, 4), "c": None}
j = JSONSerializer()
p = PickleSerializer()
print("json type", j.type)
print("pickle type", p.type)
print("json bytes", isinstance(j.dumps(data), bytes))
print("json loads", j.loads(j.dumps(data)))
print("pickle loads", p.loads(p.dumps(data)))
