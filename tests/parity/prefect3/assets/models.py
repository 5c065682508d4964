"""Asset and AssetProperties: key validation (a URI with a lowercase scheme, restricted
characters, at most 512 characters), repr, equality and hash, frozen models, the
description limit; a bad key refused with a pydantic ValidationError."""

from pydantic import ValidationError

from prefect.assets import Asset, AssetProperties

keys = ["s3://bucket/data.csv", "postgres://db/table", "3d://x", "nope", "S3://x", "a_b://x", "s3:/x", "",
        "s3://a b", "s3://a#b", "s3://a?b", "s3://a%20", "s3://<x>", "s3://a|b", "s3://" + "x" * 508,
        "s3://" + "x" * 507, 5]
for key in keys:
    try:
        asset = Asset(key=key)
        print(repr(key)[:30], "accepted", repr(asset)[:40])
    except ValidationError as exc:
        error = exc.errors()[0]
        print(repr(key)[:30], "refused:", isinstance(exc, ValueError), error["type"], error["msg"])

a = Asset(key="s3://bucket/x.csv")
b = Asset(key="s3://bucket/x.csv", properties=AssetProperties(name="X", owners=["me"]))
print(a == Asset(key="s3://bucket/x.csv"), a == b, hash(a) == hash(b) == hash("s3://bucket/x.csv"), len({a, b}))
print(repr(b), b.properties)
print(repr(AssetProperties(name="n")), AssetProperties(name="n") == AssetProperties(name="n"))
print(Asset(key="s3://a", properties=AssetProperties()).model_dump())
print(b.properties.model_dump(exclude_unset=True))
for change in (lambda: setattr(a, "key", "s3://other"), lambda: setattr(b.properties, "name", "Y")):
    try:
        change()
    except ValidationError as exc:
        print("frozen:", exc.errors()[0]["type"])
try:
    AssetProperties(description="x" * 2501)
except ValidationError as exc:
    print("long description:", exc.errors()[0]["type"])
print(len(AssetProperties(description="x" * 2500).description))
