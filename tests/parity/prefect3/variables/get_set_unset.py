"""Variable.set / get / unset (prefect.variables): defaults, what set returns, the
refusal to overwrite without overwrite=True, and tags replaced on overwrite."""

from prefect.variables import Variable

NAMES = ["parity_gsu_region", "parity_gsu_missing"]
for name in NAMES:
    Variable.unset(name)

print("missing:", Variable.get("parity_gsu_missing"))
print("default:", Variable.get("parity_gsu_missing", default="fallback"))
print("unset missing:", Variable.unset("parity_gsu_missing"))

stored = Variable.set("parity_gsu_region", "eu-west-1", tags=["config", "prod"])
print("set returned:", type(stored).__name__, stored.name, stored.value, stored.tags)
print("get:", Variable.get("parity_gsu_region"))

try:
    Variable.set("parity_gsu_region", "us-east-1")
except ValueError as exc:
    print("refused:", type(exc).__name__, exc)
print("unchanged:", Variable.get("parity_gsu_region"))

again = Variable.set("parity_gsu_region", "us-east-1", overwrite=True)
print("overwrite:", again.value, again.tags)
tagged = Variable.set("parity_gsu_region", "ap-south-1", overwrite=True, tags=["moved"])
print("overwrite with tags:", tagged.value, tagged.tags)
print("model fields:", sorted(Variable.model_fields))

print("unset:", Variable.unset("parity_gsu_region"))
print("unset again:", Variable.unset("parity_gsu_region"))
print("after unset:", Variable.get("parity_gsu_region", 0))
