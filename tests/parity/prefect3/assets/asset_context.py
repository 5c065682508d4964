"""AssetContext (prefect.context): None outside task runs; inside a task run, what it
makes (downstream_assets), what it reads (asset_deps and the assets of upstream task
runs), who made it, and add_asset_metadata through the context."""

from prefect import flow, task
from prefect.assets import Asset, materialize
from prefect.context import AssetContext

raw = Asset(key="s3://lake/raw.json")
clean = Asset(key="s3://lake/clean.json")
report = Asset(key="s3://lake/report.csv")


def show(where):
    ctx = AssetContext.get()
    if ctx is None:
        print(where, "no context")
        return
    keys = lambda assets: sorted(a.key for a in assets)  # noqa: E731
    print(where, "downstream", keys(ctx.downstream_assets), "deps", keys(ctx.direct_asset_dependencies),
          "upstream", keys(ctx.upstream_assets), "by", ctx.materialized_by, "has run id", ctx.task_run_id is not None)


@materialize(clean, asset_deps=[raw], by="pandas")
def make_clean():
    show("make_clean:")
    ctx = AssetContext.get()
    ctx.add_asset_metadata(clean.key, {"rows": 3})
    ctx.add_asset_metadata(clean.key, {"cols": 2})
    print("metadata", ctx.materialization_metadata)
    try:
        ctx.add_asset_metadata(report.key, {"x": 1})
    except ValueError as exc:
        print("not made here:", exc)
    return 1


@task
def passes_on(x):
    show("passes_on:")
    return x


@materialize(report)
def make_report(x):
    show("make_report:")
    return x


@flow
def pipeline():
    show("flow body:")
    make_report(passes_on(make_clean()))


show("module:")
pipeline()
print("resource", AssetContext.asset_as_resource(Asset(key="s3://x/y", properties={"name": "Y", "owners": ["a"]})))
print("related", AssetContext.asset_as_related(raw))
print("by", AssetContext.related_materialized_by("dbt"))
