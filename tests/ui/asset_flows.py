"""A flow making assets for tests/ui/test_assets.py, with hostile names and properties
(script tags, a javascript: url); prints the flow run id."""

from headwater import flow, task
from headwater.assets import Asset, AssetProperties, add_asset_metadata, materialize

orders = Asset(key="postgres://shop/orders", properties=AssetProperties(
    name="Orders <script>window.__pwned = 1</script>", url="javascript:window.__pwned=1", owners=["shop-team"]))
customers = Asset(key="postgres://shop/customers")
clean = Asset(key="s3://lake/clean/orders.parquet", properties=AssetProperties(
    description="Cleaned orders <img src=x onerror=\"window.__pwned = 1\">"))
daily = Asset(key="s3://lake/reports/daily.csv")
weekly = Asset(key="s3://lake/reports/weekly.csv")


@materialize(clean, asset_deps=[orders, customers], by="pandas")
def clean_orders():
    add_asset_metadata(clean, {"rows": 1200, "note": "<b>bold</b>"})
    return list(range(10))


@task
def summarize(rows):
    return {"total": sum(rows)}  # a dict, not an int: lineage follows values by identity


@materialize(daily, by="duckdb")
def daily_report(total):
    return total["total"]


@materialize(weekly)
def weekly_report(total):
    return total["total"] * 7


@flow
def assets_flow():
    from headwater.runtime import flow_run

    rows = clean_orders()
    total = summarize(rows)
    daily_report(total)
    weekly_report(total)
    return flow_run.id


if __name__ == "__main__":
    print(assets_flow())
