"""@materialize: what it makes, its errors, and its runs' return values and states
(Completed, Failed), with asset_deps, add_asset_metadata inside and outside a
materializing task, and with_options."""

from pydantic import ValidationError

from prefect import flow, task
from prefect.assets import Asset, AssetProperties, add_asset_metadata, materialize

try:
    materialize()
except TypeError as exc:
    print("no assets:", exc)
try:
    materialize("not a uri")(lambda: 1)
except ValidationError as exc:
    print("bad key:", exc.errors()[0]["msg"])

for call in (lambda: add_asset_metadata("s3://a/b", {"x": 1}), lambda: Asset(key="s3://a/b").add_metadata({})):
    try:
        call()
    except RuntimeError as exc:
        print("outside:", exc)

report = Asset(key="s3://lake/report.csv", properties=AssetProperties(owners=["finance"]))


@materialize(report, "s3://lake/extra.csv", asset_deps=["postgres://db/orders"], by="pandas", retries=1)
def build(n):
    add_asset_metadata(report, {"rows": n})
    report.add_metadata({"ok": True})
    return n * 2


@materialize("s3://lake/broken.csv")
def broken():
    raise ValueError("boom")


@task
def plain():
    add_asset_metadata(report, {"x": 1})


@materialize("s3://lake/other.csv")
def other():
    add_asset_metadata(report, {"x": 1})


print(type(build).__name__, build.assets, build.materialized_by, build.asset_deps, build.retries, build.name)
copy = build.with_options(assets=["s3://lake/copy.csv"], name="copy")
print(type(copy).__name__, copy.assets, copy.materialized_by, copy.name)
print(task(asset_deps=["s3://x/y"])(lambda: 1).asset_deps)


@flow
def pipeline():
    print("result:", build(21))
    print("state:", broken(return_state=True).type.value)
    for t in (plain, other):
        state = t(return_state=True)
        print(t.name, state.type.value)
        try:
            state.result()
        except ValueError as exc:
            print("error:", exc)
    future = build.submit(1)
    print("submitted:", future.result())
    return "done"


print(pipeline())
